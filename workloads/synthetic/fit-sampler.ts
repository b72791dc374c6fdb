/**
 * Draws from a Google2011Fit: the per-quantity inverse-CDF samplers the generator composes.
 * Every function takes its uniforms (or normals) from the caller's Rng, so the generator controls
 * the streams and stays deterministic.
 */
import type { Rng } from '../../model/rng.js';
import type { DurationFit, Google2011Fit, PriorityGroupFit } from './fit-types.js';
import { normalCdf, normalSf } from './normal.js';
import { sampleQuantileTable } from './quantile-table.js';

/** Cumulative job shares and the group index of each priority in `fit.priorityMix`. */
export interface PriorityPicker {
  readonly cumulative: Float64Array;
  readonly priority: Int32Array;
  readonly group: Int32Array;
}

export function priorityPicker(fit: Pick<Google2011Fit, 'priorityMix' | 'groups'>): PriorityPicker {
  const n = fit.priorityMix.length;
  const cumulative = new Float64Array(n);
  const priority = new Int32Array(n);
  const group = new Int32Array(n);
  let total = 0;
  for (const m of fit.priorityMix) total += m.jobShare;
  let acc = 0;
  fit.priorityMix.forEach((m, i) => {
    acc += m.jobShare / total;
    cumulative[i] = acc;
    priority[i] = m.priority;
    const g = fit.groups.findIndex((gr) => gr.priorities.includes(m.priority));
    if (g < 0) throw new Error(`fit has no group for priority ${m.priority}`);
    group[i] = g;
  });
  cumulative[n - 1] = 1;
  return { cumulative, priority, group };
}

/** Index into the picker's arrays for uniform u. */
export function pickPriority(picker: PriorityPicker, u: number): number {
  const c = picker.cumulative;
  let i = 0;
  while (i < c.length - 1 && u >= c[i]) i++;
  return i;
}

/**
 * A job's correlated draws through the group's Gaussian copula: z = L e with e iid standard normal.
 * Writes (tasks per job, normalized cpu, normalized mem, run-length latent z) into `out`; the first
 * three go through Φ and their marginal tables, the fourth stays a standard normal (the job-level
 * part of each task's run-length latent).
 */
export function sampleJob(group: PriorityGroupFit, rng: Rng, e: Float64Array, out: Float64Array): void {
  const l = group.jobCopula.cholesky;
  for (let i = 0; i < 4; i++) e[i] = rng.normal();
  const z = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += l[i][k] * e[k];
    z[i] = s;
  }
  out[0] = Math.max(1, Math.round(sampleQuantileTable(group.tasksPerJob, normalCdf(z[0]), true)));
  out[1] = sampleQuantileTable(group.cpu, normalCdf(z[1]), true);
  out[2] = sampleQuantileTable(group.mem, normalCdf(z[2]), true);
  out[3] = z[3];
}

/**
 * Run length in seconds for latent normal `z` (Gaussian copula: the caller mixes a job-level and a
 * task-level normal). Below the tail point the Kaplan–Meier body table is inverted; above it the
 * Pareto tail t = tailStart · (S / (1 - tailP))^(-1/alpha), with S the upper-tail probability taken
 * directly from z so extreme draws keep their precision.
 */
export function sampleDurationSeconds(d: DurationFit, z: number): number {
  const u = normalCdf(z);
  if (u < d.tailP) return sampleQuantileTable(d.body, u, true);
  const s = normalSf(z);
  return d.tailStart * Math.pow(s / (1 - d.tailP), -1 / d.paretoAlpha);
}
