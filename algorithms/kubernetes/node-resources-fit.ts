import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { type Cycle, type FilterPlugin, type PreFilterStatus, type ScorePlugin, MAX_NODE_SCORE } from './plugin.js';
import { DEFAULT_SCORING_RESOURCES, ScoredResources, isExtendedResource, kubeResourceName, type ResourceSpec } from './resources.js';

/** A point of RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10. */
export interface ShapePoint {
  utilization: number;
  score: number;
}

/** NodeResourcesFitArgs: scoringStrategy, and the extended resources the filter does not check. */
export interface NodeResourcesFitArgs {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  resources: ResourceSpec[];
  /** RequestedToCapacityRatio only, utilization strictly increasing. */
  shape?: ShapePoint[];
  /** Extended resource names the filter ignores (e.g. nvidia.com/gpu). */
  ignoredResources?: string[];
  /** Extended resource groups (the part before '/') the filter ignores. */
  ignoredResourceGroups?: string[];
}

export const DEFAULT_FIT_ARGS: NodeResourcesFitArgs = { type: 'LeastAllocated', resources: [...DEFAULT_SCORING_RESOURCES] };

/** Stands in for a request the fit check must not compare: below any node's free amount, above a down node's -Infinity. */
const UNCHECKED = -Number.MAX_VALUE;

/**
 * The request NodeResourcesFit's filter compares with a node's free resources (fit.go
 * fitsRequest): only resources the pod requests (> 0) are checked — a node already over-committed
 * in a resource the pod does not ask for still fits — and extended resources named by
 * ignoredResources / ignoredResourceGroups are not checked at all. The cluster's feasibility index
 * compares every dimension, so unchecked ones are set far below any free amount. While no node is
 * over-committed and nothing is ignored, the task's own request array is returned unchanged.
 */
export class FitRequest {
  private readonly ignored: ReadonlySet<string>;
  private readonly groups: ReadonlySet<string>;
  private ignoredDims: Uint8Array | undefined;
  private resolvedFor: ClusterView | undefined;
  private scratch = new Float64Array(0);
  /** Set once some node's free amount went negative (a bind beyond allocatable). */
  overcommitted = false;

  constructor(args: NodeResourcesFitArgs = DEFAULT_FIT_ARGS) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.groups = new Set(args.ignoredResourceGroups ?? []);
  }

  private resolve(cluster: ClusterView): void {
    this.resolvedFor = cluster;
    this.ignoredDims = undefined;
    if (this.ignored.size === 0 && this.groups.size === 0) return;
    const dims = new Uint8Array(cluster.dims);
    let any = false;
    for (let d = 0; d < cluster.dims; d++) {
      const name = kubeResourceName(cluster, d);
      if (!isExtendedResource(name)) continue;
      if (this.ignored.has(name) || this.groups.has(name.slice(0, name.indexOf('/')))) {
        dims[d] = 1;
        any = true;
      }
    }
    if (any) this.ignoredDims = dims;
  }

  /** Notes an over-commit after a bind (free below zero somewhere on the node). */
  noteBind(node: number, cluster: ClusterView): void {
    if (this.overcommitted) return;
    const D = cluster.dims;
    for (let d = 0; d < D; d++) if (cluster.free[node * D + d] < 0) this.overcommitted = true;
  }

  /** `always`: build the checked request even when the task's own would give the same answer. */
  request(task: TaskView, cluster: ClusterView, always = false): Float64Array {
    if (this.resolvedFor !== cluster) this.resolve(cluster);
    const ignoredDims = this.ignoredDims;
    if (!always && !this.overcommitted && ignoredDims === undefined) return task.request;
    const D = cluster.dims;
    if (this.scratch.length !== D) this.scratch = new Float64Array(D);
    const out = this.scratch;
    for (let d = 0; d < D; d++) {
      const r = task.request[d];
      out[d] = r === 0 || (ignoredDims !== undefined && ignoredDims[d] === 1) ? UNCHECKED : r;
    }
    return out;
  }
}


/** kube's MaxCustomPriorityScore: shape scores are 0–10, scaled to 0–100. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** kube's helper.BuildBrokenLinearFunction: piecewise linear through the points, flat outside, integer maths. */
export function brokenLinear(shape: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    if (p <= shape[i].utilization) {
      if (i === 0) return shape[0].score;
      const a = shape[i - 1];
      const b = shape[i];
      return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
    }
  }
  return shape[shape.length - 1].score;
}

/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go).
 * Filter: the requests the pod makes (> 0, ignored extended resources left out) fit the node's
 * free allocatable — done by the framework through the cluster's feasibility index
 * (ClusterView.feasible) with the FitRequest above, so this filter itself has nothing left to check.
 * Score, by strategy, per resource with allocatable > 0 (a scalar resource the pod does not request
 * is left out, `pods` never counts), weighted mean:
 *   LeastAllocated  (alloc − requested) · 100 / alloc   (0 when over)      → integer mean
 *   MostAllocated   min(requested, alloc) · 100 / alloc                    → integer mean
 *   RequestedToCapacityRatio  shape(requested · 100 / alloc) with shape scores × 10, resources
 *     scoring 0 left out of the mean, rounded (requested_to_capacity_ratio.go)
 * where requested = the node's non-zero requests (running pods without a CPU / memory request
 * count 100 m / 200 MiB: NodeInfo.NonZeroRequested) + the pod's (the same defaults).
 */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly args: NodeResourcesFitArgs;
  private readonly res: ScoredResources;
  private readonly shape: ShapePoint[];
  private readonly fit: FitRequest;

  constructor(args: NodeResourcesFitArgs = DEFAULT_FIT_ARGS) {
    this.args = args;
    this.fit = new FitRequest(args);
    this.res = new ScoredResources(args.resources);
    this.shape = (args.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  }

  /** 'active' when run on its own; the framework leaves this plugin out and checks fit through the index. */
  preFilter(_cy: Cycle): PreFilterStatus {
    return 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    return cy.cluster.fits(node, this.fit.request(cy.task, cy.cluster, true));
  }

  preScore(cy: Cycle): number | undefined {
    this.res.prepare(cy.task, cy.cluster, true);
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    if (this.res.count === 2 && this.args.type !== 'RequestedToCapacityRatio') this.scoreTwo(cy, nodes, count, out);
    else for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  /** The common case (CPU and memory) unrolled: same arithmetic as `score`, a third of the time. */
  private scoreTwo(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    const c = cy.cluster;
    const D = c.dims;
    const alloc = c.allocatable;
    const requested = c.requested;
    const d0 = this.res.dims[0];
    const d1 = this.res.dims[1];
    const w0 = this.res.weights[0];
    const w1 = this.res.weights[1];
    const a0 = this.res.amounts[0];
    const a1 = this.res.amounts[1];
    const least = this.args.type === 'LeastAllocated';
    const nz = cy.shared.nonZero;
    const k0 = nz.pods > 0 ? this.res.kinds[0] : -1;
    const k1 = nz.pods > 0 ? this.res.kinds[1] : -1;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      const o = node * D;
      const cap0 = alloc[o + d0];
      const cap1 = alloc[o + d1];
      let r0 = requested[o + d0] + a0;
      let r1 = requested[o + d1] + a1;
      if (k0 >= 0) r0 += nz.get(node, k0 as 0 | 1);
      if (k1 >= 0) r1 += nz.get(node, k1 as 0 | 1);
      let s0 = 0;
      let s1 = 0;
      if (least) {
        s0 = cap0 === 0 || r0 > cap0 ? 0 : Math.trunc(((cap0 - r0) * MAX_NODE_SCORE) / cap0);
        s1 = cap1 === 0 || r1 > cap1 ? 0 : Math.trunc(((cap1 - r1) * MAX_NODE_SCORE) / cap1);
      } else {
        s0 = cap0 === 0 ? 0 : Math.trunc(((r0 > cap0 ? cap0 : r0) * MAX_NODE_SCORE) / cap0);
        s1 = cap1 === 0 ? 0 : Math.trunc(((r1 > cap1 ? cap1 : r1) * MAX_NODE_SCORE) / cap1);
      }
      const w = (cap0 === 0 ? 0 : w0) + (cap1 === 0 ? 0 : w1);
      out[i] = w === 0 ? 0 : Math.trunc((s0 * w0 + s1 * w1) / w);
    }
  }

  score(cy: Cycle, node: number): number {
    const c = cy.cluster;
    const D = c.dims;
    const { dims, weights, amounts, kinds, count } = this.res;
    const type = this.args.type;
    const nz = cy.shared.nonZero;
    let sum = 0;
    let wsum = 0;
    for (let k = 0; k < count; k++) {
      const o = node * D + dims[k];
      const cap = c.allocatable[o];
      if (cap === 0) continue;
      let req = c.requested[o] + amounts[k];
      if (kinds[k] >= 0 && nz.pods > 0) req += nz.get(node, kinds[k] as 0 | 1);
      const w = weights[k];
      if (type === 'LeastAllocated') {
        sum += (req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap)) * w;
        wsum += w;
      } else if (type === 'MostAllocated') {
        sum += Math.trunc(((req > cap ? cap : req) * MAX_NODE_SCORE) / cap) * w;
        wsum += w;
      } else {
        const s = req > cap ? brokenLinear(this.shape, 100) : brokenLinear(this.shape, Math.trunc((req * 100) / cap));
        if (s > 0) {
          sum += s * w;
          wsum += w;
        }
      }
    }
    if (wsum === 0) return 0;
    return type === 'RequestedToCapacityRatio' ? Math.round(sum / wsum) : Math.trunc(sum / wsum);
  }
}
