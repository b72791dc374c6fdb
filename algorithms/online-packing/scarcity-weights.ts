import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';

/**
 * Per-dimension scarcity weights for the weighted size measure (`best-fit-scarcity`,
 * `worst-fit-scarcity`):
 *     w_h = Σ_nodes requested_h / Σ_nodes allocatable_h      (nodes that are up)
 * i.e. the cluster's current requested utilization of dimension h, read before each decision. A
 * dimension that is filling up weighs more, so best fit packs tightest where room is scarcest.
 * This is the online counterpart of the offline "Avg" (scarcity) weights of
 * algorithms/offline/size-measures.ts (Mommessin et al. 2025; Panigrahy et al. 2011), which sum the
 * demand of the whole item list; online we do not know future demand, so we weigh by what is
 * currently placed instead. Dimensions no node has get weight 0; when nothing is requested yet all
 * weights are 1 (unit weights), so an empty cluster is not scored as all ties.
 *
 * Never a scan per decision: the harness's Cluster keeps `totalRequested` / `totalAllocatable`
 * (read here when present, O(dims)). For any other ClusterView the totals are rebuilt by one scan
 * when the node population changes (nodeCount or upCount differ from the last scan) and kept up to
 * date in between through the policy's onBind / onUnbind hooks.
 */
export class ScarcityWeights {
  readonly weights: Float64Array;
  private requested: Float64Array;
  private allocatable: Float64Array;
  private scannedNodes = -1;
  private scannedUp = -1;

  constructor(dims: number) {
    this.weights = new Float64Array(dims);
    this.requested = new Float64Array(dims);
    this.allocatable = new Float64Array(dims);
  }

  /** Recomputes `weights` for the cluster as it is now. */
  update(cluster: ClusterView): Float64Array {
    const D = cluster.dims;
    if (this.weights.length !== D) throw new Error(`scarcity weights: built for ${this.weights.length} dimensions, cluster has ${D}`);
    const totals = clusterTotals(cluster);
    let req = this.requested;
    let alloc = this.allocatable;
    if (totals) {
      req = totals.requested;
      alloc = totals.allocatable;
    } else if (cluster.nodeCount !== this.scannedNodes || cluster.upCount !== this.scannedUp) {
      this.rescan(cluster);
    }
    let any = false;
    for (let d = 0; d < D; d++) {
      const w = alloc[d] > 0 ? Math.max(0, req[d]) / alloc[d] : 0;
      this.weights[d] = w;
      if (w > 0) any = true;
    }
    if (!any) for (let d = 0; d < D; d++) this.weights[d] = alloc[d] > 0 ? 1 : 0;
    return this.weights;
  }

  onBind(task: TaskView, node: number, cluster: ClusterView): void {
    if (!cluster.up[node]) return;
    for (let d = 0; d < this.requested.length; d++) this.requested[d] += task.request[d];
  }

  onUnbind(task: TaskView, node: number, cluster: ClusterView): void {
    if (!cluster.up[node]) return;
    for (let d = 0; d < this.requested.length; d++) this.requested[d] -= task.request[d];
  }

  /** Fallback only: one O(nodes) pass, replacing (never adding to) the running totals. */
  private rescan(cluster: ClusterView): void {
    const D = cluster.dims;
    this.requested.fill(0);
    this.allocatable.fill(0);
    for (let n = 0; n < cluster.nodeCount; n++) {
      if (!cluster.up[n]) continue;
      for (let d = 0; d < D; d++) {
        this.requested[d] += cluster.requested[n * D + d];
        this.allocatable[d] += cluster.allocatable[n * D + d];
      }
    }
    this.scannedNodes = cluster.nodeCount;
    this.scannedUp = cluster.upCount;
  }
}

/** The Cluster's running totals, when the view carries them (harness/cluster.ts does). */
function clusterTotals(cluster: ClusterView): { requested: Float64Array; allocatable: Float64Array } | undefined {
  const c = cluster as ClusterView & { totalRequested?: unknown; totalAllocatable?: unknown };
  if (c.totalRequested instanceof Float64Array && c.totalAllocatable instanceof Float64Array &&
      c.totalRequested.length === cluster.dims && c.totalAllocatable.length === cluster.dims) {
    return { requested: c.totalRequested, allocatable: c.totalAllocatable };
  }
  return undefined;
}
