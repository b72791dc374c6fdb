/**
 * Packing metrics of Verma, Korupolu & Wilkes, "Evaluating job packing in warehouse-scale
 * computing" (IEEE Cluster 2014; ../shared/docs/models.md § Packing metrics): how much of the free
 * capacity a placement left is usable, and how far the placed work could grow. Measured on the
 * cluster as the replay leaves it (its **end** instant, not time-averaged): one snapshot of every
 * node that is up, by request (what the scheduler reserves), the workload's own task shapes as the
 * yardstick of "fits".
 *
 * Definitions (per node n and resource d: A = allocatable, R = requested, F = max(0, A − R) free):
 * - Shapes S: the request vectors of the workload's tasks (missing requests and tasks that request
 *   nothing left out: the latter fit anywhere, so no node would ever count as full), reduced to the
 *   Pareto-minimal ones (a node fits some shape iff it fits a minimal one).
 * - A node is **full** when no shape of S fits its free vector: nothing more of this workload can
 *   start there. `m_d` = the smallest positive request for d among the tasks; the node is
 *   **exhausted** in d when F_d < m_d (not even the smallest task's d fits).
 * - **Stranded** capacity of resource r (Verma et al.: free in one dimension but unusable because
 *   another is full) = Σ over full nodes exhausted in some d ≠ r of F_r, / Σ A_r.
 * - **Fragmented** capacity of r (holes too small for any task though no other resource ran out) =
 *   Σ over full nodes exhausted in no d ≠ r of F_r, / Σ A_r. Stranded + fragmented = the free
 *   capacity on full nodes; free − both = the free capacity some task could still use.
 * - **Workload inflation headroom** (Verma et al.'s vertical scaling: grow every request by one
 *   factor until something no longer fits), two readings: *in place* (each task stays where it is)
 *   f = min over nodes and d with R > 0 of A/R, headroom f − 1 (the most loaded node decides); and
 *   the *fluid bound* (any re-placement, tasks divisible) f = min_d Σ A_d / Σ R_d, headroom f − 1.
 *   The gap between the two is what the placement costs in growth room. Tasks pending at the end
 *   are not in R (they did not fit already: the summary counts them). null when nothing is placed.
 */
export interface ResourcePacking {
  /** Free capacity, fraction of allocatable (the complement of requested utilization at the end). */
  free: number;
  /** Free on full nodes where another resource is exhausted, fraction of allocatable. */
  stranded: number;
  /** Free on full nodes where no other resource is exhausted, fraction of allocatable. */
  fragmented: number;
}

export interface PackingMetrics {
  /** When the snapshot was taken: the end of the replay. */
  measuredAt: 'end';
  /** Nodes up at the end, and of those the full ones (no task shape fits). */
  nodes: number;
  fullNodes: number;
  /** Pareto-minimal task shapes used as the yardstick. */
  shapes: number;
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
  /** 1 = the task's request was missing (left out of the shapes). */
  taskMissing?: ArrayLike<number>;
}

/** The Pareto-minimal non-zero request vectors (move-to-front: a few common small shapes dominate most tasks). */
export function minimalShapes(dims: number, count: number, request: ArrayLike<number>, missing?: ArrayLike<number>): number[][] {
  const shapes: number[][] = [];
  const s = new Array<number>(dims);
  outer: for (let i = 0; i < count; i++) {
    if (missing !== undefined && missing[i]) continue;
    let any = false;
    for (let d = 0; d < dims; d++) {
      const v = request[i * dims + d];
      s[d] = v > 0 ? v : 0;
      if (v > 0) any = true;
    }
    if (!any) continue;
    for (let j = 0; j < shapes.length; j++) {
      if (leq(shapes[j], s, dims)) {
        if (j > 0) [shapes[0], shapes[j]] = [shapes[j], shapes[0]];
        continue outer;
      }
    }
    // s is minimal so far: drop the shapes it dominates, keep it first.
    let w = 0;
    for (let j = 0; j < shapes.length; j++) if (!leq(s, shapes[j], dims)) shapes[w++] = shapes[j];
    shapes.length = w;
    shapes.unshift(s.slice());
  }
  return shapes;
}

function leq(a: readonly number[], b: ArrayLike<number>, dims: number, bOff = 0): boolean {
  for (let d = 0; d < dims; d++) if (a[d] > b[bOff + d]) return false;
  return true;
}

export function packingMetrics(p: PackingInput): PackingMetrics {
  const D = p.dims;
  const shapes = minimalShapes(D, p.taskCount, p.taskRequest, p.taskMissing);
  // Smallest positive request per dimension (Infinity: no task asks for it, never exhausted).
  const minReq = new Array<number>(D).fill(Infinity);
  for (const s of shapes) for (let d = 0; d < D; d++) if (s[d] > 0 && s[d] < minReq[d]) minReq[d] = s[d];
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
    let fits = false;
    for (const s of shapes) {
      if (leq(s, F, D)) {
        fits = true;
        break;
      }
    }
    if (fits) continue;
    full++;
    let exhausted = 0;
    for (let d = 0; d < D; d++) if (minReq[d] < Infinity && F[d] < minReq[d]) exhausted++;
    for (let d = 0; d < D; d++) {
      const selfExhausted = minReq[d] < Infinity && F[d] < minReq[d] ? 1 : 0;
      if (exhausted - selfExhausted > 0) stranded[d] += F[d];
      else fragmented[d] += F[d];
    }
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
    shapes: shapes.length,
    perResource,
    inflationHeadroom: {
      inPlace: Number.isFinite(inPlace) ? inPlace - 1 : null,
      fluidBound: Number.isFinite(fluid) ? fluid - 1 : null,
    },
  };
}
