/**
 * Seeded synthetic Borg-like workload, calibrated on the Google 2011 sample (google-2011-fit.ts):
 * the embedded default workload of `schedlab replay`.
 *
 * Model (per job, then per task):
 * - Jobs: priority drawn from the fitted per-job priority mix; then tasks per job, normalized CPU
 *   and memory request and a job-level run-length latent drawn jointly through the group's fitted
 *   Gaussian copula (big jobs, big requests and long runs go together as in the data). All
 *   tasks of a job share its priority, request and submit time (in the 2011 trace 99 % of multi-task
 *   jobs submit all tasks within 4 ms, and 3 jobs in 15,165 mix requests).
 * - Counts: jobs are drawn until `tasks` tasks exist; the last job is truncated to hit the count
 *   exactly (reported in notes).
 * - Arrivals: J + 1 gaps drawn from the fitted inter-arrival table, then rescaled by one factor so
 *   the J arrivals fill [0, hours): the burstiness (shape) of the real gaps is kept, the rate is set
 *   by tasks / hours. With `diurnal` the rescaled times are then time-warped (diurnal-profile.ts) so
 *   the rate follows 1 + A cos(2π (hour − peak) / 24), t = 0 at 19:00 as the 2011 trace; A and the
 *   peak are measured on the sample's 19 whole hours of new-job arrivals (google-2011-month-fit.ts),
 *   less than one day, so they are a measurement of that sample, not a fitted cycle.
 * - Standing population (`standing`): the tasks already running at t = 0, as the 2011 trace shows
 *   them (its time-0 rows): by default its 10.7 running tasks per machine × nodes, drawn as jobs
 *   with the standing jobs' priority mix, requests and residual lifetimes (google-2011-month-fit.ts,
 *   the same per-group tables and copula as the arrivals), calibrated to the cell's totals
 *   (standing-calibration.ts: a task quota per priority from the fitted task shares, then the
 *   requests permuted among each priority's jobs to the trace's request sums). Submitted at 0, before every arrival;
 *   jobs 0 … S-1. A residual lifetime longer than the window is capped at the window + 1 µs (runs to
 *   the end), not at MAX_DURATION_US, so a month does not end its services at day 29.
 * - Defaults: both on for windows of at least MONTH_FEATURES_FROM_HOURS (a week), off below, so the
 *   quick start (24 h) and the benchmarks' L (38.4 h) are the same workload as before.
 * - Run length per task: from the group's Kaplan–Meier + Pareto fit, in real seconds (not rescaled),
 *   through a Gaussian copula with the fitted within-job correlation (tasks of one job run similar
 *   lengths). Rounded to whole µs, at least 1 µs; capped at MAX_DURATION_US (29 days, the length of
 *   the whole 2011 trace, so longer runs are unobservable in any 2011 data); the number capped is
 *   appended to `notes` when the stream ends.
 * - Units: a normalized Google machine of (cpu 0.5, mem 0.5) — the most common shape in the 2011
 *   cell — is one instance: millicores = cpu / 0.5 · instance.cpuMillicores, bytes = mem / 0.5 ·
 *   instance.memoryBytes, rounded to integers and clamped to one instance (counted in notes). GPU 0.
 * - Limits and QoS: production priorities (>= 9, the 2011 production band) get limit = request in
 *   every dimension (Borg admits production by its limit): Kubernetes Guaranteed. The free band
 *   (priorities 0–1: no guarantees in Borg, EuroSys'15 §2.5) becomes Kubernetes BestEffort: no
 *   request stated (NaN, placed as zero and counted as a missing request, as a pod without
 *   requests), no limit, and the fitted request kept as the task's usage scale (TaskBatch.usageScale: what
 *   it uses is relative to what it would have asked). The rest state a request and no limit:
 *   Burstable. An assumption of this generator (the 2011 trace has no QoS), stated in the notes.
 * - Usage: usage-model.ts (documented assumptions, not fitted).
 * - Not modelled: tasks pending at t = 0 (and, without `standing`, the standing population: the
 *   cluster starts empty), the weekly cycle, users, constraints, request updates. Each job is a Borg job (Workload.controllers, desired = its tasks): the
 *   harness's controllers resubmit its lost tasks, at once (no trace gaps to sample).
 *
 * Streams: the job plans (a few typed arrays, one entry per job ≈ tasks / 31) are drawn up front;
 * tasks are drawn lazily, one TaskBatch of at most BATCH_SIZE at a time: memory O(jobs + one batch).
 * Rng streams forked from the seed (arrivals: jobs 1, tasks 2; standing: jobs 3, tasks 4, calibration 5) keep the
 * output independent of how batches are consumed, and the arrivals identical with or without the
 * standing population.
 */
import { DEFAULT_RESOURCES } from '../../model/resources.js';
import { Rng } from '../../model/rng.js';
import { PRODUCTION_PRIORITY, PriorityBand, bandOf } from '../../model/priority-bands.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import type { DurationFit, Google2011Fit, Google2011MonthFit } from './fit-types.js';
import { GOOGLE_2011_MONTH_FIT } from './google-2011-month-fit.js';
import { DailyTimeWarp, type DailyProfile } from './diurnal-profile.js';
import { pickPriority, priorityPicker, sampleDurationSeconds, sampleJob } from './fit-sampler.js';
import { GOOGLE_2011_FIT } from './google-2011-fit.js';
import { sampleQuantileTable } from './quantile-table.js';
import { POOL_MIN, POOL_PER_JOB, apportion, exchangeWithPool, rearrangeRequests } from './standing-calibration.js';
import { USAGE_MODEL, sampleUsage } from './usage-model.js';
import { checkZones, describeNodeLayout, generatedNodeLabels, zoneNames } from '../generated-nodes.js';
import { borgJobController } from '../reader-kit/borg-job-controller.js';

export interface SyntheticOptions {
  seed: number;
  nodes: number;
  tasks: number;
  hours: number;
  instance: { name: string; cpuMillicores: number; memoryBytes: number; gpus?: number };
  /** Zones of the nodes (default 3) and their region (default us-east-1): see generated-nodes.ts. */
  zones?: number;
  region?: string;
  /**
   * The standing population at t = 0 (standing-population.ts): 'auto' = the fitted running tasks
   * per machine × nodes, 'none', or a task count. Default: 'auto' for windows of at least
   * MONTH_FEATURES_FROM_HOURS, else 'none'.
   */
  standing?: 'auto' | 'none' | number;
  /** The daily cycle of the arrival rate (diurnal-profile.ts). Default: on from MONTH_FEATURES_FROM_HOURS. */
  diurnal?: boolean;
}

/**
 * Windows of at least this many hours (a week) get the standing population and the daily cycle
 * by default. Shorter windows keep the plain generator, so the quick start (24 h) and the
 * benchmarks' L workload (38.4 h) and their published figures stay as they were.
 */
export const MONTH_FEATURES_FROM_HOURS = 168;

/** Largest TaskBatch emitted. */
export const BATCH_SIZE = 65_536;
/** Normalized Google machine shape that maps to one instance. */
export const GOOGLE_MACHINE_CPU = 0.5;
export const GOOGLE_MACHINE_MEM = 0.5;
/** 29 days in µs: no run longer than the 2011 trace itself can be observed. */
export const MAX_DURATION_US = 29 * 86_400 * 1e6;

const DIMS = DEFAULT_RESOURCES.names.length;

/** The per-job plan, drawn up front (O(jobs) memory). */
interface JobPlan {
  count: number;
  size: Int32Array;
  priority: Int32Array;
  group: Int32Array;
  arrival: Float64Array;
  cpu: Float64Array;
  mem: Float64Array;
  latent: Float64Array;
  truncatedFrom: number;
  /** Jobs cut to fit a quota (the arrivals' total, or a standing priority's task quota). */
  truncatedJobs: number;
  /** Standing: (cpu, mem) pairs traded for spare ones (standing-calibration.ts step 3). */
  traded: number;
  clampedCpuTasks: number;
  clampedMemTasks: number;
}

const CLAMPED_CPU = 1;
const CLAMPED_MEM = 2;

function checkOptions(o: SyntheticOptions): void {
  const intOk = (x: number): boolean => Number.isInteger(x) && x >= 0;
  if (!Number.isInteger(o.seed)) throw new Error(`synthetic: seed must be an integer, got ${o.seed}`);
  if (!intOk(o.nodes)) throw new Error(`synthetic: nodes must be a non-negative integer, got ${o.nodes}`);
  if (!intOk(o.tasks)) throw new Error(`synthetic: tasks must be a non-negative integer, got ${o.tasks}`);
  if (!(o.hours > 0 && Number.isFinite(o.hours))) throw new Error(`synthetic: hours must be positive, got ${o.hours}`);
  const i = o.instance;
  if (!(i.cpuMillicores > 0) || !(i.memoryBytes > 0)) throw new Error(`synthetic: instance '${i.name}' needs positive cpuMillicores and memoryBytes`);
  if (i.gpus !== undefined && !(i.gpus >= 0)) throw new Error(`synthetic: instance '${i.name}' has a negative gpu count`);
  const st = o.standing;
  if (st !== undefined && st !== 'auto' && st !== 'none' && !(typeof st === 'number' && intOk(st))) {
    throw new Error(`synthetic: standing must be 'auto', 'none' or a non-negative whole number of tasks, got ${String(st)}`);
  }
  checkZones(o.zones);
}

/** Standing tasks and whether the daily cycle is on, with the defaults resolved. */
export function resolveMonthFeatures(o: SyntheticOptions, monthFit: Google2011MonthFit = GOOGLE_2011_MONTH_FIT): { standingTasks: number; diurnal: boolean } {
  const long = o.hours >= MONTH_FEATURES_FROM_HOURS;
  const st = o.standing ?? (long ? 'auto' : 'none');
  const standingTasks = st === 'none' ? 0 : st === 'auto' ? Math.round(monthFit.standing.tasksPerMachine * o.nodes) : st;
  return { standingTasks, diurnal: o.diurnal ?? long };
}

function growInt(a: Int32Array): Int32Array {
  const b = new Int32Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}
function growFloat(a: Float64Array): Float64Array {
  const b = new Float64Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}

/** What a plan of jobs is drawn from: a priority mix, its groups, and (for arrivals) the gaps between jobs. */
interface PlanSource {
  priorityMix: Google2011Fit['priorityMix'];
  groups: Google2011Fit['groups'];
  /** Arrivals: the fitted inter-arrival table, spread over the window (and warped by `warp`); absent: every job at t = 0. */
  interArrival?: Google2011Fit['interArrival'];
  warp?: DailyTimeWarp;
  /** Mean request per task per priority (the month fit's standing.requestPerTask): the targets of step 2. */
  requestPerTask?: Google2011MonthFit['standing']['requestPerTask'];
  /**
   * Task quota per priority (index of priorityMix; standing-calibration.ts step 1): priorities are
   * drawn from the job mix among those with quota left, each one's last job truncated to it.
   */
  quota?: Int32Array;
}

/**
 * Draws jobs until `tasks` tasks exist (the last job truncated; with `quota`, each priority's last
 * job). Per job, in this order from `rng`: the priority (one uniform), the copula draw (4 normals),
 * and for arrivals the gap to the next.
 */
function planJobs(o: SyntheticOptions, src: PlanSource, rng: Rng, tasks: number): JobPlan {
  const picker = priorityPicker(src);
  const quotaLeft = src.quota ? Int32Array.from(src.quota) : undefined;
  const jobShare = Float64Array.from(src.priorityMix, (m) => m.jobShare);
  let openShare = 0;
  if (quotaLeft) for (let i = 0; i < quotaLeft.length; i++) if (quotaLeft[i] > 0) openShare += jobShare[i];
  const windowUs = o.hours * 3600e6;
  let size: Int32Array = new Int32Array(64);
  let priority: Int32Array = new Int32Array(64);
  let group: Int32Array = new Int32Array(64);
  let cum: Float64Array = new Float64Array(64);
  let cpu: Float64Array = new Float64Array(64);
  let mem: Float64Array = new Float64Array(64);
  let latent: Float64Array = new Float64Array(64);
  const normals = new Float64Array(4);
  const draw = new Float64Array(4);
  let count = 0;
  let assigned = 0;
  let gapSum = 0;
  let truncatedFrom = 0;
  let truncatedJobs = 0;
  let clampedCpuTasks = 0;
  let clampedMemTasks = 0;
  let flags: Uint8Array = new Uint8Array(64);
  const req = new Float64Array(2);
  while (assigned < tasks) {
    if (count === size.length) {
      size = growInt(size);
      priority = growInt(priority);
      group = growInt(group);
      cum = growFloat(cum);
      cpu = growFloat(cpu);
      mem = growFloat(mem);
      latent = growFloat(latent);
      const f = new Uint8Array(flags.length * 2);
      f.set(flags);
      flags = f;
    }
    const pi = quotaLeft ? pickOpen(quotaLeft, jobShare, openShare, rng.next()) : pickPriority(picker, rng.next());
    const g = src.groups[picker.group[pi]];
    sampleJob(g, rng, normals, draw);
    let n = draw[0];
    const room = quotaLeft ? quotaLeft[pi] : tasks - assigned;
    if (n > room) {
      truncatedFrom = n;
      truncatedJobs++;
      n = room;
    }
    if (quotaLeft) {
      quotaLeft[pi] -= n;
      if (quotaLeft[pi] === 0) openShare -= jobShare[pi];
    }
    flags[count] = toRequest(draw, o.instance, req);
    const c = req[0];
    const m = req[1];
    if (src.interArrival) gapSum += sampleQuantileTable(src.interArrival, rng.next(), true);
    size[count] = n;
    priority[count] = picker.priority[pi];
    group[count] = picker.group[pi];
    cum[count] = gapSum;
    cpu[count] = c;
    mem[count] = m;
    latent[count] = draw[3];
    assigned += n;
    count++;
  }
  const traded = src.quota ? calibrateRequests(o, src, size, priority, cpu, mem, flags, count) : 0;
  for (let j = 0; j < count; j++) {
    if (flags[j] & CLAMPED_CPU) clampedCpuTasks += size[j];
    if (flags[j] & CLAMPED_MEM) clampedMemTasks += size[j];
  }
  const arrival = new Float64Array(count);
  if (src.interArrival) {
    // One more gap after the last job, so the last arrival falls strictly inside the window.
    const total = gapSum + sampleQuantileTable(src.interArrival, rng.next(), true);
    const warp = src.warp;
    for (let j = 0; j < count; j++) {
      if (!(total > 0)) break;
      const u = (windowUs * cum[j]) / total;
      let t = Math.min(windowUs - 1, Math.floor(warp ? warp.inverse(u) : u));
      // The warp's inverse is exact to 0.01 µs: keep the order of nearly equal times.
      if (j > 0 && t < arrival[j - 1]) t = arrival[j - 1];
      arrival[j] = t;
    }
  }
  return {
    count,
    size: size.subarray(0, count),
    priority: priority.subarray(0, count),
    group: group.subarray(0, count),
    arrival,
    cpu: cpu.subarray(0, count),
    mem: mem.subarray(0, count),
    latent: latent.subarray(0, count),
    truncatedFrom,
    truncatedJobs,
    traded,
    clampedCpuTasks,
    clampedMemTasks,
  };
}

/**
 * Normalized (draw[1], draw[2]) as whole millicores and bytes into req, clamped to one instance;
 * returns the CLAMPED_* flags.
 */
function toRequest(draw: Float64Array, instance: SyntheticOptions['instance'], req: Float64Array): number {
  let fl = 0;
  req[0] = Math.round((draw[1] / GOOGLE_MACHINE_CPU) * instance.cpuMillicores);
  req[1] = Math.round((draw[2] / GOOGLE_MACHINE_MEM) * instance.memoryBytes);
  if (req[0] > instance.cpuMillicores) {
    req[0] = instance.cpuMillicores;
    fl |= CLAMPED_CPU;
  }
  if (req[1] > instance.memoryBytes) {
    req[1] = instance.memoryBytes;
    fl |= CLAMPED_MEM;
  }
  return fl;
}

/** Index of the priority (among those with quota left) for uniform u, by their job shares. */
function pickOpen(quotaLeft: Int32Array, jobShare: Float64Array, openShare: number, u: number): number {
  let acc = 0;
  let last = -1;
  for (let i = 0; i < quotaLeft.length; i++) {
    if (quotaLeft[i] <= 0) continue;
    acc += jobShare[i];
    last = i;
    if (u * openShare < acc) return i;
  }
  return last;
}

/**
 * Steps 2 and 3 of standing-calibration.ts: per priority, permutes its jobs' (cpu, mem) so the
 * request sums are the quota × the trace's mean request per task, trading for spare pairs only
 * where that cannot reach them. Its own Rng stream (fork 5 of the seed). Returns the pairs traded.
 */
function calibrateRequests(
  o: SyntheticOptions,
  src: PlanSource,
  size: Int32Array,
  priority: Int32Array,
  cpu: Float64Array,
  mem: Float64Array,
  flags: Uint8Array,
  count: number,
): number {
  const perTask = src.requestPerTask ?? [];
  const rng = new Rng(o.seed).fork(5);
  const picker = priorityPicker(src);
  const normals = new Float64Array(4);
  const draw = new Float64Array(4);
  const req = new Float64Array(2);
  let traded = 0;
  src.priorityMix.forEach((mix, pi) => {
    const r = perTask.find((x) => x.priority === mix.priority);
    const q = src.quota?.[pi] ?? 0;
    if (!r || q === 0) return;
    const members: number[] = [];
    for (let j = 0; j < count; j++) if (priority[j] === mix.priority) members.push(j);
    const targetCpu = Math.min(q * o.instance.cpuMillicores, Math.round((q * r.cpu * o.instance.cpuMillicores) / GOOGLE_MACHINE_CPU));
    const targetMem = Math.min(q * o.instance.memoryBytes, Math.round((q * r.mem * o.instance.memoryBytes) / GOOGLE_MACHINE_MEM));
    const jobs = Int32Array.from(members);
    const r2 = rearrangeRequests(size, cpu, mem, jobs, targetCpu, targetMem, rng, flags);
    if (r2.done || members.length === 0) return;
    const group = src.groups[picker.group[pi]];
    const n = Math.max(POOL_MIN, POOL_PER_JOB * members.length);
    const pool = { cpu: new Float64Array(n), mem: new Float64Array(n), flags: new Uint8Array(n) };
    for (let k = 0; k < n; k++) {
      sampleJob(group, rng, normals, draw);
      pool.flags[k] = toRequest(draw, o.instance, req);
      pool.cpu[k] = req[0];
      pool.mem[k] = req[1];
    }
    traded += exchangeWithPool(size, cpu, mem, jobs, targetCpu, targetMem, rng, pool, r2, flags).swaps;
  });
  return traded;
}

function jobName(j: number): string {
  return `job-${String(j).padStart(6, '0')}`;
}

/** One stream of tasks: its plan, the Rng its tasks draw from, its run-length fits, and its cap. */
interface Segment {
  plan: JobPlan;
  /** Job index of the plan's first job in the workload. */
  jobOffset: number;
  fork: number;
  groups: Google2011Fit['groups'];
  tasks: number;
  capUs: number;
  capped: number;
}

/** A seeded synthetic workload calibrated on the Google 2011 sample. */
export function syntheticWorkload(opts: SyntheticOptions, fit: Google2011Fit = GOOGLE_2011_FIT, monthFit: Google2011MonthFit = GOOGLE_2011_MONTH_FIT): Workload {
  checkOptions(opts);
  const { instance } = opts;
  const capacity = [instance.cpuMillicores, instance.memoryBytes, (instance.gpus ?? 0) * 1000];
  const machines: MachineSpec[] = [];
  const layout = { instanceType: instance.name, zones: opts.zones, region: opts.region };
  const zones = zoneNames(layout);
  for (let i = 0; i < opts.nodes; i++) {
    const id = `node-${String(i).padStart(4, '0')}`;
    machines.push({ id, capacity: [...capacity], labels: generatedNodeLabels(id, i, layout, zones), instanceType: instance.name });
  }
  const { standingTasks, diurnal } = resolveMonthFeatures(opts, monthFit);
  const windowUs = opts.hours * 3600e6;
  const profile: DailyProfile = { amplitude: monthFit.diurnal.amplitude, peakHour: monthFit.diurnal.peakHour, startHour: monthFit.diurnal.startHour };
  const warp = diurnal ? new DailyTimeWarp(profile, windowUs) : undefined;
  // Rng forks: 1 arrivals' plan, 2 arrivals' tasks (as before the standing population existed), 3 and 4 the standing ones.
  const plan = planJobs(opts, { ...fit, warp }, new Rng(opts.seed).fork(1), opts.tasks);
  const quota = apportion(standingTasks, monthFit.standing.priorityMix.map((m) => m.taskShare));
  const standingPlan = planJobs(opts, { ...monthFit.standing, quota }, new Rng(opts.seed).fork(3), standingTasks);
  const horizon = Math.round(opts.hours * 3.6e9);
  const segments = (): Segment[] => [
    // Standing residual lifetimes past the window mean "still running at the end": capped at the window, not at 29 days.
    { plan: standingPlan, jobOffset: 0, fork: 4, groups: monthFit.standing.groups, tasks: standingTasks, capUs: Math.max(MAX_DURATION_US, horizon + 1), capped: 0 },
    { plan, jobOffset: standingPlan.count, fork: 2, groups: fit.groups, tasks: opts.tasks, capUs: MAX_DURATION_US, capped: 0 },
  ];
  const totalTasks = opts.tasks + standingTasks;
  const totalJobs = standingPlan.count + plan.count;
  const jobs: string[] = [];
  const src = fit.source;
  const pct = (n: number): string => (totalTasks > 0 ? ((100 * n) / totalTasks).toFixed(2) : '0.00');
  const ms = monthFit.source;
  const notes: string[] = [
    `synthetic workload calibrated on Google ClusterData 2011 task_events ${src.parts.length} parts ` +
      `(${src.newJobs} jobs / ${src.newTasks} tasks arriving in ${(src.windowSeconds / 3600).toFixed(1)} h); fit in workloads/synthetic/google-2011-fit.ts`,
    `units: normalized Google machine (cpu ${GOOGLE_MACHINE_CPU}, mem ${GOOGLE_MACHINE_MEM}) = one ${instance.name} ` +
      `(${instance.cpuMillicores} millicores, ${instance.memoryBytes} bytes); requests rounded to whole millicores and bytes`,
    `requests clamped to one instance: cpu ${plan.clampedCpuTasks + standingPlan.clampedCpuTasks} tasks (${pct(plan.clampedCpuTasks + standingPlan.clampedCpuTasks)} %), ` +
      `memory ${plan.clampedMemTasks + standingPlan.clampedMemTasks} tasks (${pct(plan.clampedMemTasks + standingPlan.clampedMemTasks)} %)`,
    `${plan.count} jobs; all tasks of a job share priority, request and submit time` +
      (plan.truncatedFrom > 0 ? `; the last job was truncated from ${plan.truncatedFrom} to ${plan.size[plan.count - 1]} tasks to give exactly ${opts.tasks}` : ''),
    diurnal
      ? `job arrivals: fitted inter-arrival shape rescaled so ${plan.count} jobs fill ${opts.hours} h (real mean gap ${fit.meanInterArrival.toFixed(2)} s), ` +
        `then time-warped to a daily cycle: rate ∝ 1 + ${profile.amplitude.toFixed(3)} cos(2π (hour − ${profile.peakHour.toFixed(2)}) / 24), t = 0 at ${profile.startHour}:00 ` +
        `(the 2011 trace's start, US Eastern); amplitude and peak measured on the sample's ${monthFit.diurnal.hourlyNewJobs.length} h of new-job arrivals (workloads/synthetic/google-2011-month-fit.ts): less than a day, so a measurement, not a fitted cycle`
      : `job arrivals: fitted inter-arrival shape rescaled so ${plan.count} jobs fill ${opts.hours} h (real mean gap ${fit.meanInterArrival.toFixed(2)} s); no diurnal cycle`,
    standingTasks > 0
      ? `standing population at t = 0: ${standingTasks} tasks in ${standingPlan.count} jobs submitted at 0 (jobs ${jobName(0)}…${jobName(standingPlan.count - 1)}), ` +
        `${opts.standing === undefined || opts.standing === 'auto' ? `${monthFit.standing.tasksPerMachine.toFixed(3)} per node as the 2011 trace's ${ms.standingTasks} running tasks on ${ms.machinesAtStart} machines at its start` : 'the count given'}; ` +
        `priority mix, requests and residual lifetimes (Kaplan–Meier with window-end censoring + Pareto tail) fitted on the tasks running at time 0 (workloads/synthetic/google-2011-month-fit.ts); ` +
        `a residual lifetime past the window is capped there (the task runs to the end); the ${ms.pendingAtStart} tasks pending at the trace's start are not modelled` +
        `; calibrated to the trace's cell (standing-calibration.ts): tasks per priority = the fitted task shares (${standingPlan.truncatedJobs} last jobs truncated to their priority's quota), ` +
        `and per priority the jobs' (cpu, mem) requests permuted among its jobs so the request sums are its tasks × the trace's mean request per standing task` +
        (standingPlan.traded > 0 ? ` (${standingPlan.traded} exchanges with spare requests drawn from the fit where permuting alone could not reach them)` : '')
      : 'standing population at t = 0: none (the cluster starts empty)',
    `durations: real seconds from the fit (Kaplan–Meier body + Pareto tail, not rescaled to the window), whole µs >= 1, ` +
      `arrivals capped at ${MAX_DURATION_US / 86_400e6} days (count added when the stream ends)`,
    `limits: priority >= ${PRODUCTION_PRIORITY} (production) limit = request (Guaranteed); free band (priority 0-1) BestEffort: no request, no limit, ` +
      `the fitted request kept as its usage scale; others a request and no limit (Burstable)`,
    `mean usage: assumed, not fitted (no task_usage table): mean usage/request cpu ${USAGE_MODEL.cpuMeanFraction}, memory ${USAGE_MODEL.memMeanFraction} ` +
      `(Reiss et al., SoCC'12), clamped to [${USAGE_MODEL.minFraction}, 1]; usage CV ~ ${USAGE_MODEL.variationMean}. Under node dynamics each task's usage over time is a ` +
      `series of the usage source (shape calibrated on the usage library) rescaled to this mean, so it can exceed the request`,
    `not modelled: ${standingTasks > 0 ? 'tasks pending at t = 0' : 'the t = 0 standing population (cluster starts empty)'}, ` +
      `${diurnal ? 'the weekly cycle' : 'the daily cycle'}, users (all -1), constraints, request updates`,
    `jobs are Borg jobs (desired = their tasks): a task lost in the replay is resubmitted at once (no trace gaps to sample)`,
    describeNodeLayout(opts.nodes, layout),
  ];
  let cappedNoted = false;

  async function* taskBatches(): AsyncGenerator<TaskBatch> {
    const segs = segments();
    let seg = 0;
    let rng = new Rng(opts.seed).fork(segs[0].fork);
    let mix = groupMixOf(segs[0].groups);
    let job = 0;
    let taskInJob = 0;
    let segLeft = segs[0].tasks;
    let remaining = totalTasks;
    while (remaining > 0) {
      const count = Math.min(BATCH_SIZE, remaining);
      const batch = allocTaskBatch(count, DIMS);
      const usageScale = new Float64Array(count * DIMS).fill(NaN);
      batch.usageScale = usageScale;
      for (let i = 0; i < count; i++) {
        while (segLeft === 0) {
          seg++;
          rng = new Rng(opts.seed).fork(segs[seg].fork);
          mix = groupMixOf(segs[seg].groups);
          segLeft = segs[seg].tasks;
          job = 0;
          taskInJob = 0;
        }
        const s = segs[seg];
        const p = s.plan;
        while (taskInJob >= p.size[job]) {
          job++;
          taskInJob = 0;
        }
        const gj = s.jobOffset + job;
        if (gj >= jobs.length) jobs.push(jobName(gj));
        const gm = mix[p.group[job]];
        const z = gm.a * p.latent[job] + gm.b * rng.normal();
        let dur = Math.round(sampleDurationSeconds(gm.d, z) * 1e6);
        if (dur < 1) dur = 1;
        if (dur > s.capUs) {
          dur = s.capUs;
          s.capped++;
        }
        const prio = p.priority[job];
        const o = i * DIMS;
        batch.submitTime[i] = p.arrival[job];
        batch.duration[i] = dur;
        batch.request[o] = p.cpu[job];
        batch.request[o + 1] = p.mem[job];
        batch.request[o + 2] = 0;
        if (bandOf(prio, 'google-2011') === PriorityBand.Free) {
          // No request stated (NaN, as a pod without `resources.requests`): kube-scheduler then
          // scores it as 100m / 200Mi (GetNonzeroRequests), so BestEffort pods spread.
          usageScale[o] = p.cpu[job];
          usageScale[o + 1] = p.mem[job];
          batch.request[o] = NaN;
          batch.request[o + 1] = NaN;
        } else if (prio >= PRODUCTION_PRIORITY) {
          batch.limit[o] = p.cpu[job];
          batch.limit[o + 1] = p.mem[job];
          batch.limit[o + 2] = 0;
        }
        batch.priority[i] = prio;
        batch.job[i] = gj;
        batch.taskIndex[i] = taskInJob;
        batch.usageVariation[i] = sampleUsage(rng, batch.usageFraction, o);
        taskInJob++;
        segLeft--;
      }
      remaining -= count;
      yield batch;
    }
    if (!cappedNoted) {
      cappedNoted = true;
      const arrivals = segs[1];
      notes.push(`durations capped at ${MAX_DURATION_US / 86_400e6} days: ${arrivals.capped} tasks (${pct(arrivals.capped)} %)`);
      if (standingTasks > 0) notes.push(`standing tasks whose residual lifetime passes the window (run to the end): ${segs[0].capped} of ${standingTasks}`);
    }
  }

  const named = standingTasks > 0 || diurnal ? `,standing=${standingTasks},diurnal=${diurnal ? 'on' : 'off'}` : '';
  return {
    name: `synthetic(seed=${opts.seed},nodes=${opts.nodes},tasks=${opts.tasks},hours=${opts.hours}${named})`,
    resources: DEFAULT_RESOURCES,
    machines,
    machineEvents: [],
    jobs,
    users: [],
    taskBatches,
    notes,
    expectedTasks: totalTasks,
    // The replay observes the whole arrival window (`hours`); tasks still running then are counted.
    horizon,
    priorityScale: 'google-2011',
    // Borg jobs: a lost task is resubmitted (harness/controllers/); desired = the job's tasks.
    controllers: Array.from({ length: totalJobs }, (_, j) => borgJobController(jobName(j), j < standingPlan.count ? standingPlan.size[j] : plan.size[j - standingPlan.count])),
  };
}

/** Per group: its run-length fit and the weights of the job-level and task-level normals (within-job correlation r). */
function groupMixOf(groups: Google2011Fit['groups']): { d: DurationFit; a: number; b: number }[] {
  return groups.map((g) => {
    const r = Math.min(1, Math.max(0, g.duration.withinJobCorrelation));
    return { d: g.duration, a: Math.sqrt(r), b: Math.sqrt(1 - r) };
  });
}
