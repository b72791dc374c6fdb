import type { Workload } from '../../model/workload.js';
import type { MachineSpec } from '../../model/machine.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import { bandOf, isProductionBand } from '../../model/priority-bands.js';
import { UsageError } from '../../model/errors.js';
import { matchesAnyTerm, matchesNodeSelector } from '../../model/node-selector-matching.js';
import { taintsTolerated } from '../../model/toleration-matching.js';

/**
 * What cell compaction packs (Verma et al., EuroSys'15 §5.1; ../shared/docs/experiments.md § Borg
 * cell compaction): one set of tasks and one cell, with no time. A trace has time, so the tasks are
 * the **standing population at one instant**: every task the trace ran at that instant (by its
 * recorded start and end; a source without recorded starts, such as the synthetic generator, as if
 * each task started at its submission), on the machines up then. The instant defaults to the
 * **peak**: the 300-s grid point of the window where the standing tasks' requests, as a share of
 * the cell, are largest in some resource — the hardest moment to fit, so a cell that fits it fits
 * the whole window's standing load. Tasks pending at that instant (the trace did not run them) are
 * not part of it.
 */
export interface CompactionInstance {
  dims: number;
  names: readonly string[];
  /** Machines of the cell: allocatable per dimension, flat `machine * dims + d`. */
  machineCount: number;
  capacity: Float64Array;
  /** Tasks, flat `task * dims + d` requests; priority (larger first), job, production band flag. */
  taskCount: number;
  request: Float64Array;
  priority: Int32Array;
  job: Int32Array;
  production: Uint8Array;
  /** Jobs with the Google 2011 different-machines restriction (no two tasks on one machine). */
  differentMachines: ReadonlySet<number>;
  /**
   * Jobs restricted to some machines (node name, node selector, required node affinity, taints they
   * do not tolerate): per job, 1 for each machine it may use. Jobs absent may use any machine.
   */
  eligible: ReadonlyMap<number, Uint8Array>;
  /** The instant (µs, trace time) the tasks stand at, and how it was chosen. */
  at: number;
  atRule: 'peak' | 'given';
  /** True when intervals come from the trace's recorded starts; false: each task as if started at its submission. */
  recordedStarts: boolean;
}

/** The grid the peak is looked for on: the traces' own 300-s usage window. */
export const PEAK_GRID_MICROS = 300e6;

/** Constraint fields the packer does not model: a job with one is refused, not silently relaxed. */
const UNMODELED: Array<[keyof PlacementConstraints, string]> = [
  ['hostPorts', 'host ports'],
  ['gpuModels', 'a GPU-model restriction'],
];

/** Which machines a job may use by its node name, selector, required node affinity and tolerations; undefined = all. */
function eligibility(c: PlacementConstraints | undefined, machines: readonly MachineSpec[]): Uint8Array | undefined {
  const anyTaint = machines.some((m) => m.taints?.some((t) => t.effect !== 'PreferNoSchedule'));
  const selector = c?.nodeSelector !== undefined && Object.keys(c.nodeSelector).length > 0 ? c.nodeSelector : undefined;
  const terms = c?.requiredNodeAffinity !== undefined && c.requiredNodeAffinity.length > 0 ? c.requiredNodeAffinity : undefined;
  if (c?.nodeName === undefined && selector === undefined && terms === undefined && !anyTaint) return undefined;
  const mask = new Uint8Array(machines.length);
  machines.forEach((m, i) => {
    const labels = m.labels ?? {};
    mask[i] =
      (c?.nodeName === undefined || c.nodeName === m.id) &&
      (selector === undefined || matchesNodeSelector(labels, selector)) &&
      (terms === undefined || matchesAnyTerm(labels, terms, m.id)) &&
      taintsTolerated(m.taints, c?.tolerations)
        ? 1
        : 0;
  });
  return mask.every((x) => x === 1) ? undefined : mask;
}

function checkConstraints(w: Workload, job: number): boolean {
  const c = w.jobConstraints?.[job];
  if (c === undefined) return false;
  const name = w.jobs[job] ?? String(job);
  for (const [k, what] of UNMODELED) {
    const v = c[k];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) {
      throw new UsageError(`experiment compaction: job '${name}' has ${what}; the compaction packer models resource fit, node eligibility and the different-machines restriction only`);
    }
  }
  if ((c.podAffinity?.required?.length ?? 0) > 0 || (c.podAntiAffinity?.required?.length ?? 0) > 0) {
    throw new UsageError(`experiment compaction: job '${name}' has a required pod (anti-)affinity; the compaction packer models resource fit, node eligibility and the different-machines restriction only`);
  }
  if (c.topologySpread?.some((t) => t.whenUnsatisfiable === 'DoNotSchedule')) {
    throw new UsageError(`experiment compaction: job '${name}' has a DoNotSchedule topology spread constraint; the compaction packer models resource fit, node eligibility and the different-machines restriction only`);
  }
  return c.differentMachines === true;
}


/** The machines up at `t`: the initial ones with every add and remove up to and including `t`. */
function machinesAt(w: Workload, t: number): MachineSpec[] {
  const up = new Map<string, MachineSpec>();
  for (const m of w.machines) up.set(m.id, m);
  for (const e of w.machineEvents) {
    if (e.time > t) break;
    if (e.kind === 'add') up.set(e.machine.id, e.machine);
    else up.delete(e.machine.id);
  }
  return [...up.values()];
}

/**
 * Reads the workload once and returns its standing population at `atMicros` (trace time), or at
 * the peak when undefined.
 */
export async function standingInstance(w: Workload, atMicros?: number): Promise<CompactionInstance> {
  const D = w.resources.names.length;
  const start = w.start ?? 0;
  const scale = w.priorityScale ?? 'google-2011';
  // Every task's interval [a, b) once; the tasks present at the chosen instant are picked after.
  let n = 0;
  let a = new Float64Array(1 << 16);
  let b = new Float64Array(1 << 16);
  let req = new Float64Array((1 << 16) * D);
  let pri = new Int32Array(1 << 16);
  let job = new Int32Array(1 << 16);
  let last = start;
  let recordedStarts = false;
  for await (const batch of w.taskBatches()) {
    if (batch.gang?.some((g) => g >= 0)) throw new UsageError('experiment compaction: the workload has gangs (all-or-nothing jobs); the compaction packer places tasks one by one');
    if (batch.recordedStart) recordedStarts = true;
    for (let i = 0; i < batch.count; i++) {
      const s = batch.recordedStart ? batch.recordedStart[i] : batch.submitTime[i];
      if (s !== s) continue; // never ran in the trace
      const dur = batch.duration[i];
      let e = dur === dur ? s + dur : Infinity;
      const k = batch.killTime?.[i];
      if (k !== undefined && k === k) e = Math.min(e, k);
      if (!(e > s)) continue;
      if (n === a.length) {
        const grow = <T extends Float64Array | Int32Array>(x: T, m: number): T => {
          const y = new (x.constructor as new (len: number) => T)(x.length * 2 * m);
          y.set(x);
          return y;
        };
        a = grow(a, 1);
        b = grow(b, 1);
        req = grow(req, 1);
        pri = grow(pri, 1);
        job = grow(job, 1);
      }
      a[n] = s;
      b[n] = e;
      for (let d = 0; d < D; d++) {
        const r = batch.request[i * D + d];
        req[n * D + d] = r > 0 ? r : 0; // a missing request reserves nothing (as the simulator places it)
      }
      pri[n] = batch.priority[i];
      job[n] = batch.job[i];
      n++;
      if (s > last) last = s;
    }
  }
  const horizon = w.horizon ?? last;
  let at: number;
  if (atMicros !== undefined) {
    if (!(atMicros >= start && atMicros <= horizon)) {
      throw new UsageError(`--at: ${(atMicros - start) / 3.6e9} h is outside the window (0 to ${((horizon - start) / 3.6e9).toFixed(2)} h)`);
    }
    at = atMicros;
  } else {
    at = peakInstant(n, a, b, req, D, start, horizon, w);
  }
  // Cordoned machines take no new work: they are not part of the cell being packed.
  const machines = machinesAt(w, at).filter((m) => !m.unschedulable);
  if (machines.length === 0) throw new UsageError(`experiment compaction: no machine is up at ${((at - start) / 3.6e9).toFixed(2)} h of the window; there is no cell to compact`);
  const capacity = new Float64Array(machines.length * D);
  machines.forEach((m, i) => {
    const alloc = m.allocatable ?? m.capacity;
    for (let d = 0; d < D; d++) capacity[i * D + d] = Math.floor(alloc[d]);
  });
  let count = 0;
  for (let i = 0; i < n; i++) if (a[i] <= at && at < b[i]) count++;
  const inst: CompactionInstance = {
    dims: D,
    names: w.resources.names,
    machineCount: machines.length,
    capacity,
    taskCount: count,
    request: new Float64Array(count * D),
    priority: new Int32Array(count),
    job: new Int32Array(count),
    production: new Uint8Array(count),
    differentMachines: new Set(),
    eligible: new Map(),
    at,
    atRule: atMicros === undefined ? 'peak' : 'given',
    recordedStarts,
  };
  const dm = inst.differentMachines as Set<number>;
  const checked = new Set<number>();
  const masks = new Map<string, Uint8Array | undefined>();
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!(a[i] <= at && at < b[i])) continue;
    for (let d = 0; d < D; d++) inst.request[k * D + d] = req[i * D + d];
    inst.priority[k] = pri[i];
    inst.job[k] = job[i];
    inst.production[k] = isProductionBand(bandOf(pri[i], scale)) ? 1 : 0;
    if (!checked.has(job[i])) {
      checked.add(job[i]);
      if (checkConstraints(w, job[i])) dm.add(job[i]);
      const c = w.jobConstraints?.[job[i]];
      const key = JSON.stringify([c?.nodeName, c?.nodeSelector, c?.requiredNodeAffinity, c?.tolerations]);
      let mask = masks.get(key);
      if (!masks.has(key)) masks.set(key, (mask = eligibility(c, machines)));
      if (mask !== undefined) (inst.eligible as Map<number, Uint8Array>).set(job[i], mask);
    }
    k++;
  }
  return inst;
}

/**
 * The grid instant of the window where the standing requests, as a share of the initial cell's
 * allocatable, are largest in some resource (first such instant on ties).
 */
function peakInstant(n: number, a: Float64Array, b: Float64Array, req: Float64Array, D: number, start: number, horizon: number, w: Workload): number {
  const J = Math.floor((horizon - start) / PEAK_GRID_MICROS);
  const diff = new Float64Array((J + 2) * D);
  for (let i = 0; i < n; i++) {
    const ja = Math.max(0, Math.ceil((a[i] - start) / PEAK_GRID_MICROS));
    if (ja > J) continue;
    const jb = b[i] === Infinity ? J + 1 : Math.min(J + 1, Math.ceil((b[i] - start) / PEAK_GRID_MICROS));
    if (jb <= ja) continue;
    for (let d = 0; d < D; d++) {
      diff[ja * D + d] += req[i * D + d];
      diff[jb * D + d] -= req[i * D + d];
    }
  }
  const cap = new Float64Array(D);
  for (const m of w.machines) for (let d = 0; d < D; d++) cap[d] += (m.allocatable ?? m.capacity)[d];
  const run = new Float64Array(D);
  let best = -1;
  let bestJ = 0;
  for (let j = 0; j <= J; j++) {
    let share = 0;
    for (let d = 0; d < D; d++) {
      run[d] += diff[j * D + d];
      if (cap[d] > 0) share = Math.max(share, run[d] / cap[d]);
    }
    if (share > best) {
      best = share;
      bestJ = j;
    }
  }
  return start + bestJ * PEAK_GRID_MICROS;
}

/** The tasks of one band only (segregation: production and non-production in cells of their own). */
export function subsetByProduction(inst: CompactionInstance, production: boolean): CompactionInstance {
  const D = inst.dims;
  const keep: number[] = [];
  for (let i = 0; i < inst.taskCount; i++) if ((inst.production[i] === 1) === production) keep.push(i);
  const out: CompactionInstance = {
    ...inst,
    taskCount: keep.length,
    request: new Float64Array(keep.length * D),
    priority: new Int32Array(keep.length),
    job: new Int32Array(keep.length),
    production: new Uint8Array(keep.length),
  };
  keep.forEach((i, k) => {
    for (let d = 0; d < D; d++) out.request[k * D + d] = inst.request[i * D + d];
    out.priority[k] = inst.priority[i];
    out.job[k] = inst.job[i];
    out.production[k] = inst.production[i];
  });
  return out;
}

/** Smallest `base · 2^j` (j ≥ 0) at or above `x`; 0 stays 0 (nothing requested, nothing to round). */
export function roundUpToPowerOfTwo(x: number, base: number): number {
  if (!(x > 0)) return 0;
  let v = base;
  while (v < x) v *= 2;
  return v;
}

/**
 * Requests rounded up to powers of two (Borg's experiment, EuroSys'15 §5.3): CPU from 0.5 core
 * (500 millicores) and memory from 1 GiB (workload units: millicores and bytes, so for a Google
 * trace read with the default machine scale of 32 cores and 128 GiB per 1.0 these are 1/64 and
 * 1/128 of the normalized unit). Other dimensions are left as they are.
 */
export function roundedRequests(inst: CompactionInstance, bases: Readonly<Record<string, number>>): CompactionInstance {
  const D = inst.dims;
  const request = new Float64Array(inst.request);
  for (let d = 0; d < D; d++) {
    const base = bases[inst.names[d]];
    if (base === undefined) continue;
    for (let i = 0; i < inst.taskCount; i++) request[i * D + d] = roundUpToPowerOfTwo(request[i * D + d], base);
  }
  return { ...inst, request };
}
