/**
 * Packing metrics of Verma, Korupolu & Wilkes, "Evaluating job packing in warehouse-scale
 * computing" (IEEE Cluster 2014; ../shared/docs/models.md § Packing metrics): how much of the free
 * capacity a placement left is usable by the workload, and how far the placed work could grow.
 * Measured on the cluster as the replay leaves it (its **end** instant, not time-averaged): one
 * snapshot of every node that is up, by request (what the scheduler reserves).
 *
 * The yardstick is the workload's own task mix, as in hole filling with the workload's shapes
 * rather than one unit size (Verma et al.) and as FGD weighs fragmentation by the popularity of
 * task shapes (Weng et al., ATC'23; ../shared/docs/experiments.md): a task s drawn from the
 * workload (tasks with a missing request and tasks that request nothing left out). The draw is a
 * systematic sample of at most SAMPLE_TASKS tasks in submission order (all of them when fewer), so
 * the cost is nodes × sample, whatever the workload's size.
 *
 * Definitions (per node n and resource r: A = allocatable, R = requested, F = max(0, A − R) free;
 * E_s = mean over the sampled tasks):
 * - **Stranded** capacity of r = Σ_n E_s[F_r · 1{s does not fit F, yet s_r ≤ F_r}] / Σ_n A_r: free r
 *   the task could use in r but cannot, because another resource of the node is short (Verma et
 *   al.: free in one dimension, unusable because another is full).
 * - **Fragmented** capacity of r = Σ_n E_s[F_r · 1{s_r > F_r}] / Σ_n A_r: free r in holes too small
 *   for the task's own r. Stranded + fragmented = the free r a typical task cannot use; free − both =
 *   what it could.
 * - **Full nodes**: nodes where no sampled task fits.
 * - **Workload inflation headroom** (Verma et al.'s vertical scaling: grow every request by one
 *   factor until something no longer fits), two readings: *in place* (each task stays where it is)
 *   f = min over nodes and r with R > 0 of A/R, headroom f − 1 (the most loaded node decides); and
 *   the *fluid bound* (any re-placement, tasks divisible) f = min_r Σ A_r / Σ R_r, headroom f − 1.
 *   The gap between the two is what the placement costs in growth room. Tasks pending at the end
 *   are not in R (they did not fit already: the summary counts them). null when nothing is placed.
 */
export interface ResourcePacking {
  /** Free capacity, fraction of allocatable (the complement of requested utilization at the end). */
  free: number;
  /** Expected free capacity a workload task could use in this resource but another resource blocks, fraction of allocatable. */
  stranded: number;
  /** Expected free capacity in holes too small for a workload task's own request of this resource, fraction of allocatable. */
  fragmented: number;
}

export interface PackingMetrics {
  /** When the snapshot was taken: the end of the replay. */
  measuredAt: 'end';
  /** Nodes up at the end, and of those the full ones (no sampled task fits). */
  nodes: number;
  fullNodes: number;
  /** Tasks in the sample the expectations are over. */
  sampledTasks: number;
  /** Per resource the cluster has (allocatable > 0). */
  perResource: Record<string, ResourcePacking>;
  /** Uniform scale-up of every placed request before something no longer fits, minus 1 (0.25 = +25 %). */
  inflationHeadroom: { inPlace: number | null; fluidBound: number | null };
}

/** The cluster at the end and the workload's requests, flat `row * dims + d`. */
export interface PackingInput {
  dims: number;
  names: readonly string[];
  nodeCount: number;
  up: ArrayLike<number>;
  allocatable: ArrayLike<number>;
  requested: ArrayLike<number>;
  taskCount: number;
  taskRequest: ArrayLike<number>;
  /** 1 = the task's request was missing (left out of the sample). */
  taskMissing?: ArrayLike<number>;
}

/** Most tasks the expectations are taken over. */
export const SAMPLE_TASKS = 256;

/** The systematic sample: task floor((j + ½) · n / K) of the n eligible ones, j < K (all when n ≤ K). */
export function sampleTasks(dims: number, count: number, request: ArrayLike<number>, missing?: ArrayLike<number>, k = SAMPLE_TASKS): number[][] {
  const eligible: number[] = [];
  for (let i = 0; i < count; i++) {
    if (missing !== undefined && missing[i]) continue;
    let any = false;
    for (let d = 0; d < dims; d++) if (request[i * dims + d] > 0) any = true;
    if (any) eligible.push(i);
  }
  const n = eligible.length;
  const picks = n <= k ? eligible : Array.from({ length: k }, (_, j) => eligible[Math.floor(((j + 0.5) * n) / k)]);
  return picks.map((i) => Array.from({ length: dims }, (_, d) => Math.max(0, request[i * dims + d] || 0)));
}

export function packingMetrics(p: PackingInput): PackingMetrics {
  const D = p.dims;
  const sample = sampleTasks(D, p.taskCount, p.taskRequest, p.taskMissing);
  const w = sample.length > 0 ? 1 / sample.length : 0;
  const alloc = new Float64Array(D);
  const free = new Float64Array(D);
  const req = new Float64Array(D);
  const stranded = new Float64Array(D);
  const fragmented = new Float64Array(D);
  const F = new Float64Array(D);
  let nodes = 0;
  let full = 0;
  let inPlace = Infinity;
  for (let n = 0; n < p.nodeCount; n++) {
    if (!p.up[n]) continue;
    nodes++;
    const o = n * D;
    for (let d = 0; d < D; d++) {
      const a = p.allocatable[o + d];
      const r = p.requested[o + d];
      F[d] = Math.max(0, a - r);
      alloc[d] += a;
      req[d] += r;
      free[d] += F[d];
      if (r > 0) inPlace = Math.min(inPlace, a / r);
    }
    let anyFits = false;
    for (const s of sample) {
      let fits = true;
      for (let d = 0; d < D; d++) if (s[d] > F[d]) fits = false;
      if (fits) {
        anyFits = true;
        continue;
      }
      for (let d = 0; d < D; d++) {
        if (s[d] > F[d]) fragmented[d] += w * F[d];
        else stranded[d] += w * F[d];
      }
    }
    if (!anyFits && sample.length > 0) full++;
  }
  const perResource: Record<string, ResourcePacking> = {};
  let fluid = Infinity;
  for (let d = 0; d < D; d++) {
    if (!(alloc[d] > 0)) continue;
    perResource[p.names[d]] = { free: free[d] / alloc[d], stranded: stranded[d] / alloc[d], fragmented: fragmented[d] / alloc[d] };
    if (req[d] > 0) fluid = Math.min(fluid, alloc[d] / req[d]);
  }
  return {
    measuredAt: 'end',
    nodes,
    fullNodes: full,
    sampledTasks: sample.length,
    perResource,
    inflationHeadroom: {
      inPlace: Number.isFinite(inPlace) ? inPlace - 1 : null,
      fluidBound: Number.isFinite(fluid) ? fluid - 1 : null,
    },
  };
}
