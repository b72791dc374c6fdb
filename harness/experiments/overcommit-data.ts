import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../model/errors.js';
import { packageRoot } from '../../model/package-root.js';
import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import { loadUsageLibrary } from '../../workloads/usage/usage-library.js';

/**
 * The data sets of the overcommit experiment as "tasks with a CPU limit and a usage series", the
 * shape of the peak-prediction protocol (../shared/docs/experiments.md § Peak-prediction
 * overcommit). CPU only, as the paper. Every series is one day of 5-minute steps from step 0; a
 * task's limit and a machine's capacity are stated per set, since the data has no limits:
 * - gcd (usage library, Google 2011 per-job sums, % of one machine): limit = the series' own
 *   peak of the day (the smallest limit that never throttles the job — the library records no
 *   limit); machine capacity 1 (one machine, the library's unit);
 * - planetlab (VM CPU utilization, % of the VM's CPU): limit = 1, the VM's whole CPU (what the VM
 *   was sold); a machine hosts 8 such VMs by limit (capacity 8: our assumption of an 8-core host
 *   with one core per VM);
 * - azure (V1 vm_cpu_readings, avg CPU % per 5 min): limit = 1 (the VM's CPU), capacity 8; the
 *   sample in ../shared/data holds one reading per VM, so nothing is left after the warm-up;
 * - synthetic: see overcommit-synthetic.ts.
 */
export interface OvercommitDataSet {
  readonly name: string;
  /** How limits and capacity were set, for the report. */
  readonly note: string;
  /** Steps per series (all equal). */
  readonly steps: number;
  readonly stepLength: number;
  readonly taskCount: number;
  /** CPU usage per task, `task * steps + k`, in the set's units (NaN = unknown). */
  readonly usage: Float64Array;
  /** CPU limit per task. */
  readonly limit: Float64Array;
  /** Machine CPU capacity, same units. */
  readonly capacity: number;
}

export const OVERCOMMIT_DATA = ['gcd', 'planetlab', 'azure', 'synthetic'] as const;
export type OvercommitDataName = (typeof OVERCOMMIT_DATA)[number];

const CPU_ONLY: ResourceSchema = { names: ['cpu'], units: ['fraction'] };

/** ../shared/data relative to the package (not the working directory), as the FGD experiment. */
export function defaultSharedData(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'data');
}

export function defaultUsageLibrary(): string {
  return path.join(defaultSharedData(), 'usage');
}

export function defaultAzureReadings(): string {
  return path.join(defaultSharedData(), 'realworld', 'azure', 'opendc-v1', 'vm_cpu_readings', 'vm_cpu_readings-file-1-of-125.csv.gz');
}

/** The CPU dimension of a series set as one row per series, plus the steps of the longest. */
export function cpuRows(set: UsageSeriesSet, d = 0): { steps: number; usage: Float64Array } {
  let steps = 0;
  for (let s = 0; s < set.count; s++) steps = Math.max(steps, set.offsets[s + 1] - set.offsets[s]);
  const usage = new Float64Array(set.count * steps).fill(NaN);
  for (let s = 0; s < set.count; s++) {
    for (let p = set.offsets[s]; p < set.offsets[s + 1]; p++) usage[s * steps + (p - set.offsets[s])] = set.values[p * set.dims + d];
  }
  return { steps, usage };
}

/** Each task's own peak (the largest known value of its row). */
export function rowPeaks(usage: Float64Array, count: number, steps: number): Float64Array {
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    let m = 0;
    for (let k = 0; k < steps; k++) if (usage[t * steps + k] > m) m = usage[t * steps + k];
    out[t] = m;
  }
  return out;
}

export async function gcdDataSet(libraryDir: string): Promise<OvercommitDataSet> {
  const set = await loadUsageLibrary(libraryDir, 'gcd', CPU_ONLY);
  const { steps, usage } = cpuRows(set);
  return {
    name: 'gcd',
    note: `${set.count} Google 2011 job-day series; limit = the series' own peak, machine = 1 (the library's unit)`,
    steps,
    stepLength: set.step,
    taskCount: set.count,
    usage,
    limit: rowPeaks(usage, set.count, steps),
    capacity: 1,
  };
}

export async function planetlabDataSet(libraryDir: string): Promise<OvercommitDataSet> {
  const set = await loadUsageLibrary(libraryDir, 'planetlab', CPU_ONLY);
  const { steps, usage } = cpuRows(set);
  return {
    name: 'planetlab',
    note: `${set.count} PlanetLab VM-day series; limit = the VM's CPU (1), machine = 8 VMs' CPUs`,
    steps,
    stepLength: set.step,
    taskCount: set.count,
    usage,
    limit: new Float64Array(set.count).fill(1),
    capacity: 8,
  };
}

/**
 * Azure V1 `vm_cpu_readings` (timestamp s, vm id, min, max, avg CPU %; ../shared/docs/trace-formats.md),
 * gzip or plain: one series per VM of avg CPU / 100 on the 5-minute grid from the first timestamp.
 */
export function azureDataSet(file: string): OvercommitDataSet {
  let text: string;
  try {
    const raw = readFileSync(file);
    text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  } catch (e) {
    throw new InputError({ file, pathAsGiven: true, problem: `cannot read the Azure vm_cpu_readings file: ${String((e as Error).message).split('\n')[0]}` });
  }
  const rows: Array<{ t: number; vm: string; avg: number }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const f = line.split(',');
    if (f.length !== 5) throw new InputError({ file, pathAsGiven: true, line: i + 1, problem: `expected 5 fields (timestamp, vm id, min, max, avg CPU), got ${f.length}` });
    const t = Number(f[0]);
    if (f[0].trim() === '' || !Number.isInteger(t) || t < 0) throw new InputError({ file, pathAsGiven: true, line: i + 1, column: 0, field: 'timestamp', expected: 'whole seconds ≥ 0', got: f[0] });
    const avg = Number(f[4]);
    if (f[4].trim() === '' || !(avg >= 0 && avg <= 100)) throw new InputError({ file, pathAsGiven: true, line: i + 1, column: 4, field: 'avg CPU', expected: 'a percentage 0–100', got: f[4] });
    rows.push({ t, vm: f[1], avg });
  }
  const step = 300;
  const t0 = rows.reduce((m, r) => Math.min(m, r.t), Infinity);
  const vms = [...new Set(rows.map((r) => r.vm))].sort();
  const index = new Map(vms.map((v, i) => [v, i]));
  const steps = rows.reduce((m, r) => Math.max(m, Math.floor((r.t - t0) / step) + 1), 0);
  const usage = new Float64Array(vms.length * steps).fill(NaN);
  for (const r of rows) usage[index.get(r.vm)! * steps + Math.floor((r.t - t0) / step)] = r.avg / 100;
  return {
    name: 'azure',
    note: `${vms.length} Azure V1 VMs (${path.basename(file)}), ${steps} step(s) each; limit = the VM's CPU (1), machine = 8 VMs' CPUs`,
    steps,
    stepLength: step * 1e6,
    taskCount: vms.length,
    usage,
    limit: new Float64Array(vms.length).fill(1),
    capacity: 8,
  };
}
