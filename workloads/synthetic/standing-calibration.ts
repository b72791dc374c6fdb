/**
 * Calibrates the generated standing population to the 2011 cell's totals, not only its per-job
 * distributions. A few huge jobs carry most standing tasks, so a cell drawn job by job from the
 * per-job fit misses the cell-level sums by tens of percent, differently for every seed. These steps,
 * per priority p, make the cell-level sums the trace's for every seed:
 *
 * 1. Task quota (stratified draw): the S standing tasks are apportioned to the priorities by the
 *    fitted task shares (largest remainder, Hamilton's method, so the quotas sum to S exactly).
 *    The generator draws jobs from the per-job fit as before, the priority from the job mix
 *    restricted to the priorities whose quota is still open, and truncates a priority's last job
 *    to its quota (the rule the arrivals already use for their total).
 * 2. Request totals (rearrangement): the targets are C*_p = Q_p c̄_p and M*_p = Q_p m̄_p, with
 *    c̄_p, m̄_p the trace's mean request per standing task of priority p (requestPerTask, refitted
 *    by fit-google-2011-month.ts). The jobs' (cpu, mem) pairs are then permuted among the jobs of
 *    p: each job keeps its size and residual-lifetime latent, each (cpu, mem) pair stays intact,
 *    so the drawn marginals of size, CPU and memory, the CPU–memory dependence and the
 *    size–lifetime dependence are exactly those drawn from the fit; only which size goes with which
 *    request moves. Stochastic hill climbing on f = (C/C* − 1)² + (M/M* − 1)², C = Σ n_j c_j:
 *    pick a job i size-biased (a uniform task's job) and a job k uniformly, swap their pairs when
 *    f decreases (Δ C = (n_i − n_k)(c_k − c_i)); stop when both are within TOLERANCE or after
 *    MAX_STEPS_PER_JOB × jobs picks. This is combinatorial optimisation of a synthetic population
 *    to known totals (Voas & Williamson, Int. J. Popul. Geogr. 6, 2000), done on the pairing as in
 *    the rearrangement methods that keep marginals fixed while changing the dependence (Iman &
 *    Conover, Commun. Stat. B 11, 1982; Puccetti & Rüschendorf, J. Comput. Appl. Math. 236, 2012).
 * 3. Only where step 2 cannot reach its targets (a priority whose quota is mostly one or two jobs,
 *    as on small cells or with the pooled priority 10–11 tables): the same hill climbing trades a
 *    job's pair for one of max(POOL_MIN, POOL_PER_JOB × jobs) spare pairs drawn from the same fit
 *    (the selection step of combinatorial optimisation). This one does select requests, so it can
 *    move the drawn request marginals; the generator's notes count the pairs it traded.
 * Why needed: per job the Gaussian copula fits the ranks, but the per-task means are carried by
 * the few largest jobs, whose requests it cannot reproduce (priority 2: a size-biased CPU mean
 * 1.43× the trace's; memory 0.8× for priorities 2, 8 and 9).
 */
import type { Rng } from '../../model/rng.js';

/** Relative error of a priority's CPU and memory totals at which the rearrangement stops. */
export const TOLERANCE = 0.005;
/** Pair picks per job of the priority before the rearrangement gives up (the best found stays). */
export const MAX_STEPS_PER_JOB = 400;
/**
 * Spare pairs drawn for step 3: max(POOL_MIN, POOL_PER_JOB × jobs of the priority). A dominant job
 * needs a pair inside a small box of both targets: 64 spares left a priority 10 % off for some
 * seeds, 1,024 reach the box for all but a priority made of one job.
 */
export const POOL_MIN = 1024;
export const POOL_PER_JOB = 4;

/** Whole quotas proportional to `shares` summing to `total` (largest remainder; ties to the first). */
export function apportion(total: number, shares: readonly number[]): Int32Array {
  const sum = shares.reduce((s, x) => s + x, 0);
  const out = new Int32Array(shares.length);
  if (!(sum > 0) || total <= 0) return out;
  const rest: { i: number; r: number }[] = [];
  let given = 0;
  shares.forEach((x, i) => {
    const exact = (total * x) / sum;
    out[i] = Math.floor(exact);
    given += out[i];
    rest.push({ i, r: exact - out[i] });
  });
  rest.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; given < total; k++, given++) out[rest[k].i]++;
  return out;
}

export interface RearrangeResult {
  /** Σ size × cpu and Σ size × mem over the jobs after the rearrangement. */
  cpu: number;
  mem: number;
  swaps: number;
  /** Both sums within TOLERANCE of their targets. */
  done: boolean;
}

/** Spare (cpu, mem) pairs, drawn from the same fit, that step 3 may trade in (and flags that go with them). */
export interface RequestPool {
  cpu: Float64Array;
  mem: Float64Array;
  flags: Uint8Array;
}

/** Relative errors' squared sum, and whether both are within TOLERANCE (a zero target leaves its term out). */
class Objective {
  private readonly wc: number;
  private readonly wm: number;
  constructor(targetCpu: number, targetMem: number) {
    this.wc = targetCpu > 0 ? 1 / targetCpu : 0;
    this.wm = targetMem > 0 ? 1 / targetMem : 0;
  }
  private ec(c: number): number {
    return this.wc > 0 ? c * this.wc - 1 : 0;
  }
  private em(m: number): number {
    return this.wm > 0 ? m * this.wm - 1 : 0;
  }
  value(c: number, m: number): number {
    return this.ec(c) ** 2 + this.em(m) ** 2;
  }
  done(c: number, m: number): boolean {
    return Math.abs(this.ec(c)) <= TOLERANCE && Math.abs(this.em(m)) <= TOLERANCE;
  }
}

/** Size-biased pick: the index into `jobs` of the job holding task t (cumulative sizes `cum`). */
function jobOfTask(cum: Float64Array, t: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function swap<T extends Float64Array | Uint8Array>(a: T, i: number, b: T, k: number): void {
  const t = a[i];
  a[i] = b[k];
  b[k] = t;
}

/**
 * Permutes (cpu[j], mem[j]) (and flags[j]) among the jobs `jobs` (indices into the arrays) so Σ size·cpu and
 * Σ size·mem approach `targetCpu` and `targetMem` (step 2 above). Requests are whole millicores
 * and bytes, so the sums are exact in doubles. A zero target leaves its term out.
 */
export function rearrangeRequests(
  size: Int32Array,
  cpu: Float64Array,
  mem: Float64Array,
  jobs: Int32Array,
  targetCpu: number,
  targetMem: number,
  rng: Rng,
  /** Per-job flags that travel with the (cpu, mem) pair (the generator's clamp marks). */
  flags?: Uint8Array,
): RearrangeResult {
  const n = jobs.length;
  let c = 0;
  let m = 0;
  const cum = new Float64Array(n);
  let tasks = 0;
  for (let k = 0; k < n; k++) {
    const j = jobs[k];
    c += size[j] * cpu[j];
    m += size[j] * mem[j];
    tasks += size[j];
    cum[k] = tasks;
  }
  const obj = new Objective(targetCpu, targetMem);
  let f = obj.value(c, m);
  let swaps = 0;
  const steps = n < 2 ? 0 : MAX_STEPS_PER_JOB * n;
  for (let s = 0; s < steps && !obj.done(c, m); s++) {
    const i = jobs[jobOfTask(cum, rng.next() * tasks)];
    const k = jobs[rng.int(n)];
    const d = size[i] - size[k];
    if (d === 0) continue;
    const c2 = c + d * (cpu[k] - cpu[i]);
    const m2 = m + d * (mem[k] - mem[i]);
    const f2 = obj.value(c2, m2);
    if (!(f2 < f)) continue;
    swap(cpu, i, cpu, k);
    swap(mem, i, mem, k);
    if (flags) swap(flags, i, flags, k);
    c = c2;
    m = m2;
    f = f2;
    swaps++;
  }
  return { cpu: c, mem: m, swaps, done: obj.done(c, m) };
}

/**
 * Step 3, only where the rearrangement cannot reach the targets (a priority whose quota is mostly
 * one job, as on small cells): the same hill climbing, but a job's (cpu, mem) pair is exchanged
 * with a spare pair from `pool` (drawn from the same fit), i.e. the requests are chosen from a
 * larger sample of the fit — the selection step of combinatorial optimisation (Voas & Williamson).
 * Starts from the sums `start` (rearrangeRequests' result).
 */
export function exchangeWithPool(
  size: Int32Array,
  cpu: Float64Array,
  mem: Float64Array,
  jobs: Int32Array,
  targetCpu: number,
  targetMem: number,
  rng: Rng,
  pool: RequestPool,
  start: RearrangeResult,
  flags?: Uint8Array,
): RearrangeResult {
  const n = jobs.length;
  const cum = new Float64Array(n);
  let tasks = 0;
  for (let k = 0; k < n; k++) cum[k] = tasks += size[jobs[k]];
  let c = start.cpu;
  let m = start.mem;
  const obj = new Objective(targetCpu, targetMem);
  let f = obj.value(c, m);
  let swaps = 0;
  const steps = n === 0 || pool.cpu.length === 0 ? 0 : MAX_STEPS_PER_JOB * Math.max(n, pool.cpu.length);
  for (let s = 0; s < steps && !obj.done(c, m); s++) {
    const i = jobs[jobOfTask(cum, rng.next() * tasks)];
    const k = rng.int(pool.cpu.length);
    const c2 = c + size[i] * (pool.cpu[k] - cpu[i]);
    const m2 = m + size[i] * (pool.mem[k] - mem[i]);
    const f2 = obj.value(c2, m2);
    if (!(f2 < f)) continue;
    swap(cpu, i, pool.cpu, k);
    swap(mem, i, pool.mem, k);
    if (flags) swap(flags, i, pool.flags, k);
    c = c2;
    m = m2;
    f = f2;
    swaps++;
  }
  return { cpu: c, mem: m, swaps, done: obj.done(c, m) };
}
