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
 *   by tasks / hours. No diurnal cycle (the sample is 19.5 h, too short to fit one, and the fit uses
 *   its first 14.1 h): the held-out later hours show the mix drifting (README, synthetic workload).
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
 * - Not modelled: the standing population at t = 0 (the cluster starts empty), users, constraints,
 *   request updates. Each job is a Borg job (Workload.controllers, desired = its tasks): the
 *   harness's controllers resubmit its lost tasks, at once (no trace gaps to sample).
 *
 * Streams: the job plan (a few typed arrays, one entry per job ≈ tasks / 31) is drawn up front;
 * tasks are drawn lazily, one TaskBatch of at most BATCH_SIZE at a time. Two Rng streams (jobs,
 * tasks) forked from the seed keep the output independent of how batches are consumed.
 */
import { DEFAULT_RESOURCES } from '../../model/resources.js';
import { Rng } from '../../model/rng.js';
import { PRODUCTION_PRIORITY, PriorityBand, bandOf } from '../../model/priority-bands.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import type { Google2011Fit } from './fit-types.js';
import { pickPriority, priorityPicker, sampleDurationSeconds, sampleJob } from './fit-sampler.js';
import { GOOGLE_2011_FIT } from './google-2011-fit.js';
import { sampleQuantileTable } from './quantile-table.js';
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
}

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
  clampedCpuTasks: number;
  clampedMemTasks: number;
}

function checkOptions(o: SyntheticOptions): void {
  const intOk = (x: number): boolean => Number.isInteger(x) && x >= 0;
  if (!Number.isInteger(o.seed)) throw new Error(`synthetic: seed must be an integer, got ${o.seed}`);
  if (!intOk(o.nodes)) throw new Error(`synthetic: nodes must be a non-negative integer, got ${o.nodes}`);
  if (!intOk(o.tasks)) throw new Error(`synthetic: tasks must be a non-negative integer, got ${o.tasks}`);
  if (!(o.hours > 0 && Number.isFinite(o.hours))) throw new Error(`synthetic: hours must be positive, got ${o.hours}`);
  const i = o.instance;
  if (!(i.cpuMillicores > 0) || !(i.memoryBytes > 0)) throw new Error(`synthetic: instance '${i.name}' needs positive cpuMillicores and memoryBytes`);
  if (i.gpus !== undefined && !(i.gpus >= 0)) throw new Error(`synthetic: instance '${i.name}' has a negative gpu count`);
  checkZones(o.zones);
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

function planJobs(o: SyntheticOptions, fit: Google2011Fit): JobPlan {
  const rng = new Rng(o.seed).fork(1);
  const picker = priorityPicker(fit);
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
  let clampedCpuTasks = 0;
  let clampedMemTasks = 0;
  const maxCpu = o.instance.cpuMillicores;
  const maxMem = o.instance.memoryBytes;
  while (assigned < o.tasks) {
    if (count === size.length) {
      size = growInt(size);
      priority = growInt(priority);
      group = growInt(group);
      cum = growFloat(cum);
      cpu = growFloat(cpu);
      mem = growFloat(mem);
      latent = growFloat(latent);
    }
    const pi = pickPriority(picker, rng.next());
    const g = fit.groups[picker.group[pi]];
    sampleJob(g, rng, normals, draw);
    let n = draw[0];
    if (assigned + n > o.tasks) {
      truncatedFrom = n;
      n = o.tasks - assigned;
    }
    let c = Math.round((draw[1] / GOOGLE_MACHINE_CPU) * maxCpu);
    let m = Math.round((draw[2] / GOOGLE_MACHINE_MEM) * maxMem);
    if (c > maxCpu) {
      c = maxCpu;
      clampedCpuTasks += n;
    }
    if (m > maxMem) {
      m = maxMem;
      clampedMemTasks += n;
    }
    gapSum += sampleQuantileTable(fit.interArrival, rng.next(), true);
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
  // One more gap after the last job, so the last arrival falls strictly inside the window.
  const total = gapSum + sampleQuantileTable(fit.interArrival, rng.next(), true);
  const arrival = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    arrival[j] = total > 0 ? Math.min(windowUs - 1, Math.floor((windowUs * cum[j]) / total)) : 0;
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
    clampedCpuTasks,
    clampedMemTasks,
  };
}

function jobName(j: number): string {
  return `job-${String(j).padStart(6, '0')}`;
}

/** A seeded synthetic workload calibrated on the Google 2011 sample. */
export function syntheticWorkload(opts: SyntheticOptions, fit: Google2011Fit = GOOGLE_2011_FIT): Workload {
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
  const plan = planJobs(opts, fit);
  const jobs: string[] = [];
  const src = fit.source;
  const pct = (n: number): string => (opts.tasks > 0 ? ((100 * n) / opts.tasks).toFixed(2) : '0.00');
  const notes: string[] = [
    `synthetic workload calibrated on Google ClusterData 2011 task_events ${src.parts.length} parts ` +
      `(${src.newJobs} jobs / ${src.newTasks} tasks arriving in ${(src.windowSeconds / 3600).toFixed(1)} h); fit in workloads/synthetic/google-2011-fit.ts`,
    `units: normalized Google machine (cpu ${GOOGLE_MACHINE_CPU}, mem ${GOOGLE_MACHINE_MEM}) = one ${instance.name} ` +
      `(${instance.cpuMillicores} millicores, ${instance.memoryBytes} bytes); requests rounded to whole millicores and bytes`,
    `requests clamped to one instance: cpu ${plan.clampedCpuTasks} tasks (${pct(plan.clampedCpuTasks)} %), ` +
      `memory ${plan.clampedMemTasks} tasks (${pct(plan.clampedMemTasks)} %)`,
    `${plan.count} jobs; all tasks of a job share priority, request and submit time` +
      (plan.truncatedFrom > 0 ? `; the last job was truncated from ${plan.truncatedFrom} to ${plan.size[plan.count - 1]} tasks to give exactly ${opts.tasks}` : ''),
    `job arrivals: fitted inter-arrival shape rescaled so ${plan.count} jobs fill ${opts.hours} h (real mean gap ${fit.meanInterArrival.toFixed(2)} s); no diurnal cycle`,
    `durations: real seconds from the fit (Kaplan–Meier body + Pareto tail, not rescaled to the window), whole µs >= 1, ` +
      `capped at ${MAX_DURATION_US / 86_400e6} days (count added when the stream ends)`,
    `limits: priority >= ${PRODUCTION_PRIORITY} (production) limit = request (Guaranteed); free band (priority 0-1) BestEffort: no request, no limit, ` +
      `the fitted request kept as its usage scale; others a request and no limit (Burstable)`,
    `mean usage: assumed, not fitted (no task_usage table): mean usage/request cpu ${USAGE_MODEL.cpuMeanFraction}, memory ${USAGE_MODEL.memMeanFraction} ` +
      `(Reiss et al., SoCC'12), clamped to [${USAGE_MODEL.minFraction}, 1]; usage CV ~ ${USAGE_MODEL.variationMean}. Under node dynamics each task's usage over time is a ` +
      `series of the usage source (shape calibrated on the usage library) rescaled to this mean, so it can exceed the request`,
    'not modelled: the t = 0 standing population (cluster starts empty), users (all -1), constraints, request updates',
    `jobs are Borg jobs (desired = their tasks): a task lost in the replay is resubmitted at once (no trace gaps to sample)`,
    describeNodeLayout(opts.nodes, layout),
  ];
  let cappedNoted = false;

  async function* taskBatches(): AsyncGenerator<TaskBatch> {
    const rng = new Rng(opts.seed).fork(2);
    const groupMix = fit.groups.map((g) => {
      const r = Math.min(1, Math.max(0, g.duration.withinJobCorrelation));
      return { d: g.duration, a: Math.sqrt(r), b: Math.sqrt(1 - r) };
    });
    let capped = 0;
    let job = 0;
    let taskInJob = 0;
    let remaining = opts.tasks;
    while (remaining > 0) {
      const count = Math.min(BATCH_SIZE, remaining);
      const batch = allocTaskBatch(count, DIMS);
      const usageScale = new Float64Array(count * DIMS).fill(NaN);
      batch.usageScale = usageScale;
      for (let i = 0; i < count; i++) {
        while (taskInJob >= plan.size[job]) {
          job++;
          taskInJob = 0;
        }
        if (job >= jobs.length) jobs.push(jobName(job));
        const gm = groupMix[plan.group[job]];
        const z = gm.a * plan.latent[job] + gm.b * rng.normal();
        let dur = Math.round(sampleDurationSeconds(gm.d, z) * 1e6);
        if (dur < 1) dur = 1;
        if (dur > MAX_DURATION_US) {
          dur = MAX_DURATION_US;
          capped++;
        }
        const prio = plan.priority[job];
        const o = i * DIMS;
        batch.submitTime[i] = plan.arrival[job];
        batch.duration[i] = dur;
        batch.request[o] = plan.cpu[job];
        batch.request[o + 1] = plan.mem[job];
        batch.request[o + 2] = 0;
        if (bandOf(prio, 'google-2011') === PriorityBand.Free) {
          // No request stated (NaN, as a pod without `resources.requests`): kube-scheduler then
          // scores it as 100m / 200Mi (GetNonzeroRequests), so BestEffort pods spread.
          usageScale[o] = plan.cpu[job];
          usageScale[o + 1] = plan.mem[job];
          batch.request[o] = NaN;
          batch.request[o + 1] = NaN;
        } else if (prio >= PRODUCTION_PRIORITY) {
          batch.limit[o] = plan.cpu[job];
          batch.limit[o + 1] = plan.mem[job];
          batch.limit[o + 2] = 0;
        }
        batch.priority[i] = prio;
        batch.job[i] = job;
        batch.taskIndex[i] = taskInJob;
        batch.usageVariation[i] = sampleUsage(rng, batch.usageFraction, o);
        taskInJob++;
      }
      remaining -= count;
      yield batch;
    }
    if (!cappedNoted) {
      cappedNoted = true;
      notes.push(`durations capped at ${MAX_DURATION_US / 86_400e6} days: ${capped} tasks (${pct(capped)} %)`);
    }
  }

  return {
    name: `synthetic(seed=${opts.seed},nodes=${opts.nodes},tasks=${opts.tasks},hours=${opts.hours})`,
    resources: DEFAULT_RESOURCES,
    machines,
    machineEvents: [],
    jobs,
    users: [],
    taskBatches,
    notes,
    expectedTasks: opts.tasks,
    // The replay observes the whole arrival window (`hours`); tasks still running then are counted.
    horizon: Math.round(opts.hours * 3.6e9),
    priorityScale: 'google-2011',
    // Borg jobs: a lost task is resubmitted (harness/controllers/); desired = the job's tasks.
    controllers: Array.from({ length: plan.count }, (_, j) => borgJobController(jobName(j), plan.size[j])),
  };
}
