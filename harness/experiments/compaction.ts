import { Rng, shuffleInPlace } from '../../model/rng.js';
import { quantileOfSorted } from '../../reports/quantile.js';
import type { CompactionInstance } from './compaction-instance.js';
import { CompactionPacker } from './compaction-packer.js';

/**
 * Borg's cell compaction (Verma et al., EuroSys'15 §5.1; ../shared/docs/experiments.md and
 * models.md § Packing metrics): the smallest cell that still fits a workload. Machines are removed
 * in a random order (one seeded permutation per trial; the cell of size k is its first k
 * machines), the whole workload is re-packed from scratch onto each candidate cell
 * (compaction-packer.ts), and a binary search on k finds the smallest that fits. "Fits" allows up
 * to 0.2 % of the tasks (the "picky" ones) to stay pending. Repeated with 11 seeds; the result is
 * the 90th percentile of the machine counts, with min and max.
 */

/** Share of tasks that may stay pending in a cell that "fits" (Borg's picky tasks). */
export const PICKY_SHARE = 0.002;
/** Trials of the published method. */
export const DEFAULT_COMPACTION_SEEDS = 11;

/** A cell is grown up to this many times its size when the workload does not fit in it. */
export const MAX_GROWTH = 100;

/**
 * The removal order of one trial: a Fisher–Yates permutation of the machines from `seed`, then
 * (positions `count` and on, up to `total`) clones of machines drawn uniformly from the same
 * stream, for workloads that need more than the cell (a trace whose cell held more requests than
 * its capacity, as Borg's did by reclaiming: ../shared/docs/models.md § Borg).
 */
export function machineOrder(count: number, seed: number, total = count): Int32Array {
  const rng = new Rng(seed).fork(0xc0de);
  const p = new Int32Array(total);
  for (let i = 0; i < count; i++) p[i] = i;
  shuffleInPlace(p.subarray(0, count), rng);
  for (let i = count; i < total; i++) p[i] = rng.int(count);
  return p;
}

/** Most tasks allowed to stay pending when the workload has `tasks` tasks. */
export function allowedPending(tasks: number, share = PICKY_SHARE): number {
  return Math.floor(tasks * share);
}

export interface CompactionTrial {
  seed: number;
  /** Smallest cell that fits (above the cell's size: it was grown by clones); null = not even MAX_GROWTH × the cell. */
  machines: number | null;
  /** Tasks pending in that cell (≤ the allowance), and packs tried by the search. */
  pending: number;
  probes: number;
}

/**
 * One trial: binary search for the smallest prefix of the seed's removal order that fits, assuming
 * (as Borg's method does) that a cell that fits still fits with a machine more. `hint` (another
 * seed's answer) only brackets the search: from it, steps of 1/256 of the cell, doubling, until
 * the answer is bracketed, then bisection — the same answer under that assumption, in about half
 * the packs (trials of one workload differ by well under 1 %).
 */
export function compactOnce(inst: CompactionInstance, seed: number, packer = new CompactionPacker(inst), share = PICKY_SHARE, hint?: number): CompactionTrial {
  const N = inst.machineCount;
  const order = machineOrder(N, seed, N * MAX_GROWTH);
  const allow = allowedPending(inst.taskCount, share);
  let probes = 0;
  const pending = (k: number): number => {
    probes++;
    return packer.pendingOn(order, k, allow);
  };
  if (inst.taskCount <= allow) return { seed, machines: 0, pending: inst.taskCount, probes };
  let lo = 0; // largest k known not to fit (0 machines fit only an allowance-sized workload)
  let hi: number; // smallest k known to fit
  let hiPending: number;
  const start = hint !== undefined && hint >= 1 && hint <= N * MAX_GROWTH ? hint : N;
  hi = start;
  hiPending = pending(hi);
  // Too small: grow (past the cell's size by clones), a first step of an eighth of the cell
  // (1/256 from a hint), doubling.
  for (let step = Math.max(1, Math.ceil(N / (start === N ? 8 : 256))); hiPending > allow; step *= 2) {
    if (hi >= N * MAX_GROWTH) return { seed, machines: null, pending: hiPending, probes };
    lo = hi;
    hi = Math.min(N * MAX_GROWTH, hi + step);
    hiPending = pending(hi);
  }
  // From a hint that fits: step down until a cell does not fit.
  if (start !== N && lo === 0) {
    for (let step = Math.max(1, Math.ceil(N / 256)); ; step *= 2) {
      const k = Math.max(0, hi - step);
      const p = k === 0 ? Infinity : pending(k);
      if (p > allow) {
        lo = k;
        break;
      }
      hi = k;
      hiPending = p;
    }
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const p = pending(mid);
    if (p <= allow) {
      hi = mid;
      hiPending = p;
    } else lo = mid;
  }
  return { seed, machines: hi, pending: hiPending, probes };
}

export interface CompactionStats {
  /** Per seed, in seed order. */
  trials: CompactionTrial[];
  /** Over the trials that fit: 90th percentile (simple-statistics quantileSorted: of 11 trials the 10th smallest), min and max; null when none fit. */
  p90: number | null;
  min: number | null;
  max: number | null;
  /** Trials where not even MAX_GROWTH × the cell fits. */
  unfit: number;
}

export function statsOf(trials: CompactionTrial[]): CompactionStats {
  const ks = Float64Array.from(trials.filter((t) => t.machines !== null).map((t) => t.machines!)).sort();
  return {
    trials,
    p90: ks.length > 0 ? quantileOfSorted(ks, 0.9) : null,
    min: ks.length > 0 ? ks[0] : null,
    max: ks.length > 0 ? ks[ks.length - 1] : null,
    unfit: trials.length - ks.length,
  };
}

/** Compaction over the given seeds (one packer, its task order built once; each trial's search starts at the previous answer). */
export function compact(inst: CompactionInstance, seeds: readonly number[], share = PICKY_SHARE): CompactionStats {
  const packer = new CompactionPacker(inst);
  const trials: CompactionTrial[] = [];
  let hint: number | undefined;
  for (const s of seeds) {
    const t = compactOnce(inst, s, packer, share, hint);
    trials.push(t);
    if (t.machines !== null && t.machines > 0) hint = t.machines;
  }
  return statsOf(trials);
}
