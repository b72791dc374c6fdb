import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { firstOversizedItem } from './instance-feasibility.js';
import { type Packing, validatePacking } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { lowerBounds } from './lower-bounds.js';
import { type ItemTypes, itemTypes, maximalPatterns } from './pattern-enumeration.js';
import { runAlgorithm } from './registry.js';

/**
 * Exact bin packing by mixed-integer programming, solved with HiGHS (Huangfu & Hall, "Parallelizing
 * the dual revised simplex method", Math. Prog. Comp. 10, 2018) compiled to WebAssembly.
 *
 * Two models; UB is the best of FFD / BFD / bin-centric heuristics and is also the warm start.
 *
 * 1. Set covering over maximal patterns (Gilmore & Gomory 1961), whenever the patterns can be
 *    enumerated (pattern-enumeration.ts): min sum_p z_p, sum_p a_tp z_p >= q_t. Its LP bound is the
 *    strong Gilmore–Gomory bound, so HiGHS closes small instances (triplets, Falkenauer, Scholl) fast.
 *
 * 2. Otherwise the assignment formulation (Kantorovich 1960 / Martello & Toth 1990) over m = UB bins,
 *    with these strengthenings:
 *  - items are ordered with a greedy clique of pairwise-incompatible items first (clique item p is
 *    fixed into bin p), then by decreasing normalized size;
 *  - symmetry breaking by relabelling bins in order of their first item: item at position p may only
 *    use bins 0..p, and bins are used contiguously (y_j >= y_{j+1}); the first LB bins are fixed open;
 *  - an item that conflicts with clique item q (overflows some dimension with it) gets no x for bin q;
 *  - x_ij <= y_j rows (a tighter LP) when the model is small enough.
 * The heuristic packing is passed as a warm start, so a time-limited run still returns a packing.
 *
 *   min sum_j y_j
 *   s.t. sum_j x_ij = 1                     for every item i
 *        sum_i s_ih x_ij <= C_h y_j          for every bin j and dimension h
 *        x_ij <= y_j,  y_j >= y_{j+1},  x, y binary
 *
 * Statuses: 'optimal' (proved, possibly by LB = UB without calling the solver), 'feasible'
 * (stopped by a limit with an incumbent: `gap` = (bins - lowerBound) / bins), 'time-limit' (no
 * packing), 'infeasible' (some item exceeds the bin; such an instance is never reported as solved).
 *
 * Reproducibility: the work is bounded by counts, not by the clock — the pattern search by a number
 * of search steps and HiGHS by a number of branch-and-bound nodes (`mip_max_nodes`, HiGHS option
 * reference) — so equal inputs give equal results on any machine under any load. The time limit is
 * only a safety net; a run it stops says so in `stoppedBy`, because its result depends on the machine.
 */
export type ExactStatus = 'optimal' | 'feasible' | 'infeasible' | 'time-limit';

export interface ExactOptions {
  /** Branch-and-bound nodes HiGHS may process (`mip_max_nodes`), the deterministic work limit (default 500). */
  nodeLimit?: number;
  /** Wall-clock safety net for the whole solve, seconds (default 300). */
  timeLimitSeconds?: number;
  /** Heuristics whose best result is the upper bound / warm start. */
  upperBoundAlgorithms?: string[];
  /**
   * 'auto' (default): the pattern (set-covering) model when its maximal patterns number at most
   * `maxPatterns`, else the assignment model. 'assignment' forces the assignment model.
   */
  formulation?: 'auto' | 'assignment';
  maxPatterns?: number;
}

export interface ExactResult {
  status: ExactStatus;
  /** Bins in the best packing found, or null. */
  bins: number | null;
  /** Best proven lower bound. */
  lowerBound: number;
  /** Relative gap (bins - lowerBound) / bins, 0 when optimal, null without a packing. */
  gap: number | null;
  packing: Packing | null;
  /** Seconds spent (bounds, heuristics and the MIP). */
  seconds: number;
  /** Whether HiGHS was called (false when bounds already met). */
  solverCalled: boolean;
  /** Upper bound from the heuristics before the MIP. */
  heuristicBins: number | null;
  /** Branch-and-bound nodes HiGHS processed (0 when it was not called). */
  nodes: number;
  /** The limit that stopped HiGHS before a proof (absent when proven or not called). */
  stoppedBy?: 'node-limit' | 'time-limit';
  /** Which model was solved (absent when the bounds already met). */
  formulation?: 'patterns' | 'assignment';
  /** Number of maximal patterns in the pattern model. */
  patterns?: number;
}

// `highs` is a CommonJS package; under NodeNext its default export arrives as `.default`.
type Loader = () => Promise<Highs>;
const loadHighs: Loader =
  ((highsModule as unknown as { default?: Loader }).default as Loader) ?? (highsModule as unknown as Loader);
let highsPromise: Promise<Highs> | null = null;
function getHighs(): Promise<Highs> {
  if (!highsPromise) highsPromise = loadHighs();
  return highsPromise;
}

/**
 * Default `nodeLimit`. The small published benchmarks (Falkenauer, Scholl, Wäscher, triplets) are
 * proved in at most a few dozen nodes; on hard ones (Hard28, 120-item vector triplets in the
 * assignment model) a node costs tens of milliseconds, so 500 nodes stay within seconds to a minute.
 */
export const DEFAULT_NODE_LIMIT = 500;
/** Default `timeLimitSeconds`: far above what the node limit needs, so it only stops a runaway solve. */
export const DEFAULT_TIME_LIMIT_SECONDS = 300;
/** Depth-first steps of the maximal-pattern search before the assignment model is used instead. */
const PATTERN_SEARCH_STEPS = 1 << 24;

const DEFAULT_UB_ALGOS = ['FFD', 'BFD', 'FFD-L2-Avg', 'FFD-Linf-Unit', 'BCS-DP1-Avg', 'BCS-L2Norm-Unit'];

export async function solveExact(inst: PackingInstance, opts: ExactOptions = {}): Promise<ExactResult> {
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  const timeLimit = opts.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  if (firstOversizedItem(inst)) {
    return { status: 'infeasible', bins: null, lowerBound: Infinity, gap: null, packing: null, seconds: secs(), solverCalled: false, heuristicBins: null, nodes: 0 };
  }
  const { n, d, capacity } = inst;
  if (n === 0) {
    const packing = { algorithm: 'exact-mip', bins: 0, assignment: new Int32Array(0) };
    return { status: 'optimal', bins: 0, lowerBound: 0, gap: 0, packing, seconds: secs(), solverCalled: false, heuristicBins: 0, nodes: 0 };
  }
  const lb = lowerBounds(inst).best;
  const algos = (opts.upperBoundAlgorithms ?? DEFAULT_UB_ALGOS).filter((a) => d > 1 || !/-(L2|Linf|Avg)|BCS/.test(a));
  let best: Packing | null = null;
  for (const a of algos) {
    const p = runAlgorithm(a, inst);
    if (!best || p.bins < best.bins) best = p;
    if (best.bins <= lb) break;
  }
  const ub = (best as Packing).bins;
  if (ub <= lb) {
    return { status: 'optimal', bins: ub, lowerBound: ub, gap: 0, packing: relabel(best as Packing, 'exact-mip'), seconds: secs(), solverCalled: false, heuristicBins: ub, nodes: 0 };
  }

  const types = itemTypes(inst);
  const patterns = opts.formulation === 'assignment' ? null : maximalPatterns(types, capacity, opts.maxPatterns ?? 300_000, PATTERN_SEARCH_STEPS);
  const built =
    patterns !== null
      ? buildPatternModel(inst, types, patterns, lb, best as Packing)
      : buildAssignmentModel(inst, lb, best as Packing);
  const highs = await getHighs();
  const { data, warm, decode } = built;
  const model = highs.createModel({
    ...data,
    rowLower: Float64Array.from(data.rowLower, (x) => (x === -Infinity ? -highs.infinity : x)),
    rowUpper: Float64Array.from(data.rowUpper, (x) => (x === Infinity ? highs.infinity : x)),
    colUpper: Float64Array.from(data.colUpper, (x) => (x === Infinity ? highs.infinity : x)),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_max_nodes: opts.nodeLimit ?? DEFAULT_NODE_LIMIT,
      time_limit: Math.max(0.1, timeLimit - secs()),
      mip_rel_gap: 0,
      mip_abs_gap: 0.999,
    });
    if (warm) model.setSolution({ colValue: warm });
    model.run();
    const st = model.getModelStatus();
    const S = highs.constants.modelStatus;
    const sol = model.getSolution();
    let dual = Number(model.info.get('mip_dual_bound'));
    if (!Number.isFinite(dual)) dual = lb;
    const provenLb = Math.max(lb, Math.ceil(dual - 1e-6));
    let packing: Packing | null = null;
    // mip_max_nodes stops HiGHS with 'solution limit'; an incumbent found before any limit is usable.
    const stopped = st === S.timeLimit || st === S.solutionLimit || st === S.iterationLimit || st === S.interrupted;
    if (sol.colValue && sol.colValue.length === data.numCols && (st === S.optimal || stopped)) {
      const assign = decode(sol.colValue);
      if (assign) {
        const compact = relabel({ algorithm: 'exact-mip', bins: n, assignment: assign }, 'exact-mip');
        if (validatePacking(inst, compact) === null) packing = compact;
      }
    }
    if (!packing || packing.bins > ub) packing = relabel(best as Packing, 'exact-mip');
    const bins = packing.bins;
    const proven = (st === S.optimal && bins <= Math.round(model.getObjectiveValue())) || provenLb >= bins;
    return {
      status: proven ? 'optimal' : 'feasible',
      bins,
      lowerBound: proven ? bins : provenLb,
      gap: proven ? 0 : (bins - provenLb) / bins,
      packing,
      seconds: secs(),
      solverCalled: true,
      heuristicBins: ub,
      nodes: Number(model.info.get('mip_node_count')),
      stoppedBy: proven ? undefined : st === S.timeLimit ? 'time-limit' : st === S.solutionLimit ? 'node-limit' : undefined,
      formulation: patterns !== null ? 'patterns' : 'assignment',
      patterns: patterns?.length,
    };
  } finally {
    model.dispose();
  }
}

interface PlainModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  matrix: { format: 'csr'; numRows: number; numCols: number; starts: Int32Array; indices: Int32Array; values: Float64Array };
  integrality: Int32Array;
}

interface BuiltModel {
  data: PlainModel;
  warm: Float64Array | null;
  /** Item -> bin from a solution vector (bins need not be contiguous), or null. */
  decode(col: ArrayLike<number>): Int32Array | null;
}

class RowBuilder {
  starts: number[] = [0];
  idx: number[] = [];
  val: number[] = [];
  lo: number[] = [];
  hi: number[] = [];
  push(c: number, v: number) {
    this.idx.push(c);
    this.val.push(v);
  }
  end(lo: number, hi: number) {
    this.starts.push(this.idx.length);
    this.lo.push(lo);
    this.hi.push(hi);
  }
  model(colCost: Float64Array, colLower: Float64Array, colUpper: Float64Array): PlainModel {
    const numCols = colCost.length;
    const numRows = this.lo.length;
    return {
      numCols,
      numRows,
      colCost,
      colLower,
      colUpper,
      rowLower: Float64Array.from(this.lo),
      rowUpper: Float64Array.from(this.hi),
      matrix: { format: 'csr', numRows, numCols, starts: Int32Array.from(this.starts), indices: Int32Array.from(this.idx), values: Float64Array.from(this.val) },
      integrality: new Int32Array(numCols).fill(1),
    };
  }
}

/**
 * Set-covering model over maximal patterns: min sum_p z_p s.t. sum_p a_tp z_p >= q_t, z integer.
 * Its LP relaxation is the Gilmore–Gomory bound, which is usually tight (IRUP).
 */
function buildPatternModel(
  inst: PackingInstance,
  types: ItemTypes,
  patterns: { type: Int32Array; mult: Int32Array }[],
  lb: number,
  heuristic: Packing,
): BuiltModel {
  const P = patterns.length;
  const T = types.count;
  const d = inst.d;
  const byType: number[][] = Array.from({ length: T }, () => []);
  const multOf: number[][] = Array.from({ length: T }, () => []);
  patterns.forEach((p, j) => p.type.forEach((t, k) => (byType[t].push(j), multOf[t].push(p.mult[k]))));
  const rb = new RowBuilder();
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < byType[t].length; k++) rb.push(byType[t][k], multOf[t][k]);
    rb.end(types.demand[t], Infinity);
  }
  for (let j = 0; j < P; j++) rb.push(j, 1);
  rb.end(lb, Infinity);
  const colUpper = new Float64Array(P);
  patterns.forEach((p, j) => {
    let u = Infinity;
    p.type.forEach((t, k) => (u = Math.min(u, Math.ceil(types.demand[t] / p.mult[k]))));
    colUpper[j] = u;
  });
  const data = rb.model(new Float64Array(P).fill(1), new Float64Array(P), colUpper);

  // warm start: each heuristic bin, greedily extended to a maximal pattern, looked up by key
  const keyOf = (ty: ArrayLike<number>, mu: ArrayLike<number>) => {
    let k = '';
    for (let i = 0; i < ty.length; i++) k += ty[i] + 'x' + mu[i] + ';';
    return k;
  };
  const index = new Map<string, number>();
  patterns.forEach((p, j) => index.set(keyOf(p.type, p.mult), j));
  const warm = new Float64Array(P);
  let ok = true;
  const binsItems: number[][] = Array.from({ length: heuristic.bins }, () => []);
  heuristic.assignment.forEach((b, i) => binsItems[b].push(i));
  for (const items of binsItems) {
    const a = new Int32Array(T);
    const r = Float64Array.from(inst.capacity);
    for (const i of items) {
      a[types.typeOf[i]]++;
      for (let h = 0; h < d; h++) r[h] -= inst.sizes[i * d + h];
    }
    for (let t = 0; t < T; t++) {
      // add as many copies of t as fit and are demanded
      for (;;) {
        if (a[t] >= types.demand[t]) break;
        let fits = true;
        for (let h = 0; h < d; h++) if (types.sizes[t * d + h] > r[h]) fits = false;
        if (!fits) break;
        a[t]++;
        for (let h = 0; h < d; h++) r[h] -= types.sizes[t * d + h];
      }
    }
    const ty: number[] = [];
    const mu: number[] = [];
    for (let t = 0; t < T; t++) if (a[t] > 0) ty.push(t), mu.push(a[t]);
    const j = index.get(keyOf(ty, mu));
    if (j === undefined) {
      ok = false;
      break;
    }
    warm[j] += 1;
  }
  for (let j = 0; ok && j < P; j++) if (warm[j] > colUpper[j]) ok = false;

  const decode = (col: ArrayLike<number>): Int32Array | null => {
    const pending: number[][] = Array.from({ length: T }, () => []);
    types.typeOf.forEach((t, i) => pending[t].push(i));
    const assign = new Int32Array(inst.n).fill(-1);
    let bin = 0;
    for (let j = 0; j < P; j++) {
      const copies = Math.round(col[j]);
      for (let c = 0; c < copies; c++, bin++) {
        const p = patterns[j];
        for (let k = 0; k < p.type.length; k++) {
          for (let m = 0; m < p.mult[k]; m++) {
            const i = pending[p.type[k]].pop();
            if (i !== undefined) assign[i] = bin;
          }
        }
      }
    }
    return assign.every((b) => b >= 0) ? assign : null;
  };
  return { data, warm: ok ? warm : null, decode };
}

/**
 * Assignment model (fallback when patterns are too many): see the file comment for the
 * strengthenings (clique fixing, symmetry breaking, x <= y rows).
 */
function buildAssignmentModel(inst: PackingInstance, lb: number, heuristic: Packing): BuiltModel {
  const { n, d, sizes, capacity } = inst;
  const ub = heuristic.bins;
  const conflict = (i: number, j: number) => {
    for (let h = 0; h < d; h++) if (sizes[i * d + h] + sizes[j * d + h] > capacity[h]) return true;
    return false;
  };
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let mx = 0;
    for (let h = 0; h < d; h++) {
      const v = sizes[i * d + h] / capacity[h];
      s += v;
      if (v > mx) mx = v;
    }
    norm[i] = mx * 1e3 + s; // largest dimension first, then total
  }
  const byBig = Array.from({ length: n }, (_, i) => i).sort((a, b) => norm[b] - norm[a] || a - b);
  const clique: number[] = [];
  for (const i of byBig) if (clique.every((j) => conflict(i, j))) clique.push(i);
  const k = Math.min(clique.length, ub);
  const inClique = new Uint8Array(n);
  for (let p = 0; p < k; p++) inClique[clique[p]] = 1;
  const order = [...clique.slice(0, k), ...byBig.filter((i) => !inClique[i])];
  const lbFixed = Math.max(lb, k);
  const m = ub;

  const xItem: number[] = [];
  const xBin: number[] = [];
  for (let p = 0; p < n; p++) {
    if (p < k) {
      xItem.push(p);
      xBin.push(p);
      continue;
    }
    const i = order[p];
    const last = Math.min(p, m - 1);
    for (let j = 0; j <= last; j++) {
      if (j < k && conflict(i, order[j])) continue;
      xItem.push(p);
      xBin.push(j);
    }
  }
  const nx = xItem.length;
  const numCols = m + nx;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  for (let j = 0; j < m; j++) {
    colCost[j] = 1;
    if (j < lbFixed) colLower[j] = 1;
  }
  for (let v = 0; v < nx; v++) if (xItem[v] < k) colLower[m + v] = 1;
  const rb = new RowBuilder();
  const varsOfItem: number[][] = Array.from({ length: n }, () => []);
  const varsOfBin: number[][] = Array.from({ length: m }, () => []);
  for (let v = 0; v < nx; v++) {
    varsOfItem[xItem[v]].push(v);
    varsOfBin[xBin[v]].push(v);
  }
  for (let p = 0; p < n; p++) {
    for (const v of varsOfItem[p]) rb.push(m + v, 1);
    rb.end(1, 1);
  }
  for (let j = 0; j < m; j++) {
    for (let h = 0; h < d; h++) {
      let any = false;
      for (const v of varsOfBin[j]) {
        const s = sizes[order[xItem[v]] * d + h];
        if (s !== 0) {
          rb.push(m + v, s);
          any = true;
        }
      }
      if (!any) continue;
      rb.push(j, -capacity[h]);
      rb.end(-Infinity, 0);
    }
  }
  if (nx <= 30_000) {
    for (let v = 0; v < nx; v++) {
      if (xBin[v] < lbFixed) continue;
      rb.push(m + v, 1);
      rb.push(xBin[v], -1);
      rb.end(-Infinity, 0);
    }
  }
  for (let j = 0; j + 1 < m; j++) {
    rb.push(j, 1);
    rb.push(j + 1, -1);
    rb.end(0, Infinity);
  }
  const data = rb.model(colCost, colLower, colUpper);
  const warm = warmStart(heuristic, order, k, m, xItem, xBin);
  const decode = (col: ArrayLike<number>): Int32Array | null => {
    const assign = new Int32Array(n).fill(-1);
    for (let v = 0; v < nx; v++) if (col[m + v] > 0.5) assign[order[xItem[v]]] = xBin[v];
    return assign.every((b) => b >= 0) ? assign : null;
  };
  return { data, warm, decode };
}

/** Renumbers bins by first appearance (drops empty bins). */
function relabel(p: Packing, algorithm: string): Packing {
  const map = new Map<number, number>();
  const a = new Int32Array(p.assignment.length);
  for (let i = 0; i < a.length; i++) {
    const b = p.assignment[i];
    let nb = map.get(b);
    if (nb === undefined) {
      nb = map.size;
      map.set(b, nb);
    }
    a[i] = nb;
  }
  return { algorithm, bins: map.size, assignment: a };
}

/** Column values for the heuristic packing in the model's labelling, or null if it cannot be mapped. */
function warmStart(p: Packing, order: number[], k: number, m: number, xItem: number[], xBin: number[]): Float64Array | null {
  // label each bin by the smallest position of its items
  const firstPos = new Map<number, number>();
  order.forEach((i, pos) => {
    const b = p.assignment[i];
    if (!firstPos.has(b)) firstPos.set(b, pos);
  });
  const bins = [...firstPos.entries()].sort((a, b) => a[1] - b[1]).map((e) => e[0]);
  const label = new Map<number, number>();
  bins.forEach((b, j) => label.set(b, j));
  const col = new Float64Array(m + xItem.length);
  for (let j = 0; j < bins.length && j < m; j++) col[j] = 1;
  const pos2var = new Map<number, number>();
  for (let v = 0; v < xItem.length; v++) pos2var.set(xItem[v] * m + xBin[v], v);
  for (let pos = 0; pos < order.length; pos++) {
    const j = label.get(p.assignment[order[pos]]) as number;
    if (pos < k && j !== pos) return null;
    const v = pos2var.get(pos * m + j);
    if (v === undefined) return null;
    col[m + v] = 1;
  }
  return col;
}
