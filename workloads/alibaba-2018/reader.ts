import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError, InputError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import { readLines } from '../gzip-lines.js';
import type { WorkloadWithDependencies } from '../reader-kit/dependencies.js';
import { TableBadRows, checkFieldCount, parseNumber, parseText, type RowPlace } from '../reader-kit/fields.js';
import { checkMachinePool, describePool, machinePool, type MachinePoolOption } from '../reader-kit/machine-pool.js';
import { bump, plural, StringTable } from '../reader-kit/string-table.js';
import { findTableFiles, isDir, tableOfFile } from '../reader-kit/table-files.js';
import { TaskColumns } from '../reader-kit/task-columns.js';
import { UsageAccumulator } from '../reader-kit/usage-accumulator.js';
import { UsageSeriesBuilder } from '../reader-kit/usage-series-builder.js';
import { batchesWithUsageSeries, type TaskUsageSeries } from '../reader-kit/task-usage-series.js';
import { UnmatchedUsage } from '../reader-kit/unmatched-usage.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { MachineEvent, MachineSpec } from '../../model/machine.js';
import type { SourceStats } from '../../model/workload.js';
import { machinesAt } from '../reader-kit/window-start.js';
import { readMachineMeta, summarizeMachineUsage } from './machines.js';
import {
  ALIBABA_2018_TABLES,
  DEFAULT_MACHINE_MEMORY_BYTES,
  FIELDS,
  INVALID_PERCENT,
  looksLikeV2017,
  MILLICORES_PER_CPU_UNIT,
  parseDagName,
  V2017_FIELD_COUNTS,
  type Alibaba2018Table,
} from './schema.js';

/**
 * Alibaba cluster-trace-v2018 → Workload (Guo et al., "Who limits the resource efficiency of my
 * datacenter: an analysis of Alibaba datacenter traces", IWQoS 2019).
 *
 * Machines: machine_meta (see machines.ts); without it, `machines` or 4,034 × 96-core machines.
 * Online containers (container_meta): one task per container, arriving at its first row's time,
 * request = cpu_request (100 = 1 core) and mem_size, limit = cpu_limit; no end time in the trace
 * (long-running services): duration NaN. Priority 1 (online work outranks batch in the colocated
 * cluster). Usage from container_usage: mean of cpu_util_percent and mem_util_percent / 100, read as
 * a share of the container's own request (an assumption: the schema does not say), CV of the CPU
 * samples. Usage over time (Workload.usageSeries, TaskBatch.usageSeries): one series per container
 * on the 300-s grid from trace time 0, each step the mean of the container's samples in it (the
 * samples are about every 10 s; equal weights), the same two fractions; a step without a sample is
 * a gap (NaN), an invalid value (-1, 101) is NaN in its dimension. Rows for containers not in
 * container_meta are counted; when none matches, a "warning:" note. A subset that starts after 0
 * is replayed from its first task, which may fall inside a step: series keep absolute times.
 * machine_usage is per machine, not per task: it is read as before (summarized in the notes, see
 * machines.ts) and gives no task a series.
 * Priority scale 'kubernetes': the trace has no priority numbers; the 1 (online) and 0 (batch) are
 * ranks this reader gives. Read on Borg's 2011 scale both would be the free band (evicted first);
 * read as Kubernetes priority values both are ordinary (mid band) and online outranks batch within
 * it, which is what the colocated cluster does (online services preempt batch, Guo et al.).
 * Batch (priority 0): with batch_instance, one task per instance try: arrival = its start_time (the
 * trace has no per-instance submit time), run time = end − start, request = its task's plan_cpu and
 * plan_mem (batch_task), usage = cpu_avg / plan_cpu and mem_avg / plan_mem (variation 0: only the
 * average is given). Without batch_instance, each batch_task row becomes instance_num tasks arriving
 * at the task's start_time with the task's span as run time (an upper bound per instance), usage
 * unknown. Waiting/Ready rows (never started) have no arrival time and are left out, counted.
 * Cancelled rows with an end time: killTime = end, duration NaN.
 * Job = `job_name/task_name`; the DAG in task names becomes Workload.startAfter (not enforced by
 * the replay; see reader-kit/dependencies.ts).
 * Memory: two-pass-free, bounded by the number of containers and instances kept as typed columns
 * (~100 bytes each); the full 1.3-billion-row batch_instance needs batchSource 'task' or a subset.
 */
export interface Alibaba2018ReadOptions {
  onBadRow?: OnBadRow;
  /** Bytes of a machine with normalized memory 100 (default 512 GiB, an assumption). */
  machineMemoryBytes?: number;
  /** Batch tasks from 'instance' rows (default when batch_instance exists) or 'task' rows. */
  batchSource?: 'instance' | 'task';
  /** Machines when machine_meta is absent. */
  machines?: MachinePoolOption;
  /** Read container_usage / machine_usage when present (default true). */
  usage?: boolean;
  batchSize?: number;
}

export const ALIBABA_2018_RESOURCES = { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] } as const;

const CSV = /\.csv(\.gz)?$/i;

/** The files of each table behind a path: a trace folder, or one table file. */
export function alibaba2018Files(input: string): Partial<Record<Alibaba2018Table, string[]>> {
  const out: Partial<Record<Alibaba2018Table, string[]>> = {};
  if (isDir(input)) {
    for (const t of ALIBABA_2018_TABLES) {
      const files = findTableFiles(input, t, CSV);
      if (files.length > 0) out[t] = files;
    }
    if (Object.keys(out).length === 0) {
      throw new InputError({ file: input, problem: `not an Alibaba 2018 trace folder: none of ${ALIBABA_2018_TABLES.join(', ')} found` });
    }
    return out;
  }
  if (!existsSync(input)) throw new InputError({ file: input, problem: 'no such file or folder' });
  const t = tableOfFile(input, ALIBABA_2018_TABLES);
  if (t === null) throw new InputError({ file: input, problem: `file name names no Alibaba 2018 table (${ALIBABA_2018_TABLES.join(', ')})` });
  out[t as Alibaba2018Table] = [input];
  return out;
}

/**
 * A v2017 table given to the v2018 reader: the whole file has the other schema, so this stops the
 * read whatever onBadRow says (skipping every row would replay nothing).
 */
function v2017Error(table: 'batch_task' | 'batch_instance', at: RowPlace): InputError {
  return new InputError({
    file: at.file,
    line: at.line,
    problem:
      `this ${table} row looks like Alibaba cluster-trace-v2017 (${V2017_FIELD_COUNTS[table]} fields with numeric job and task ids), not v2018 ` +
      `(${FIELDS[table].length} fields starting with ${FIELDS[table][0]}); schedlab reads cluster-trace-v2018 only`,
  });
}

/** The earliest arrival, µs (0 when there are no tasks). */
function firstSubmit(cols: TaskColumns): number {
  let m = Infinity;
  for (let i = 0; i < cols.length; i++) if (cols.submit[i] < m) m = cols.submit[i];
  return m === Infinity ? 0 : m;
}

function lastSubmit(cols: TaskColumns): number {
  let m = 0;
  for (let i = 0; i < cols.length; i++) if (cols.submit[i] > m) m = cols.submit[i];
  return m;
}

interface TaskPlan {
  cpu: number;
  mem: number;
  job: number;
}

export async function readAlibaba2018(input: string, options: Alibaba2018ReadOptions = {}): Promise<WorkloadWithDependencies> {
  const onBadRow = options.onBadRow ?? 'fail';
  const memAt100 = options.machineMemoryBytes ?? DEFAULT_MACHINE_MEMORY_BYTES;
  if (!(memAt100 > 0 && Number.isFinite(memAt100))) throw new UsageError(`machineMemoryBytes must be a positive number, got ${memAt100}`);
  if (options.machines) checkMachinePool(options.machines);
  if (options.batchSource !== undefined && !['instance', 'task'].includes(options.batchSource)) {
    throw new UsageError(`batchSource must be 'instance' or 'task', got '${String(options.batchSource)}'`);
  }
  const readUsage = options.usage ?? true;
  const files = alibaba2018Files(input);
  const memScale = memAt100 / 100;
  const notes: string[] = [];
  const badRows: Record<string, number> = {};
  const events: Record<string, number> = {};
  const bads = new TableBadRows(onBadRow);
  const newBad = (t: string) => bads.table(t);
  let rowsRead = 0;
  let fileCount = 0;
  const counted = (t: Alibaba2018Table) => {
    fileCount += files[t]?.length ?? 0;
  };

  notes.push(
    `units: CPU 100 = 1 core → × ${MILLICORES_PER_CPU_UNIT} millicores; memory normalized 0–100 → × ${memAt100 / 100} bytes ` +
      `(a 100 machine = ${+(memAt100 / 2 ** 30).toFixed(3)} GiB: not published, machineMemoryBytes option); times: seconds × 10^6 = µs from the start of the sampled period`,
  );

  // Machines.
  let machines: MachineSpec[];
  let machineEvents: MachineEvent[] = [];
  if (files.machine_meta) {
    counted('machine_meta');
    const mt = await readMachineMeta(files.machine_meta, memAt100, newBad('machine_meta'));
    machines = mt.machines;
    machineEvents = mt.events;
    rowsRead += mt.rows;
    bump(events, 'machine_meta rows', mt.rows);
    for (const [k, v] of Object.entries(mt.statusCounts)) bump(events, `machine_meta ${k}`, v);
    notes.push(...mt.notes);
  } else {
    const pool = options.machines ?? { count: 4034, capacity: { cpuMillicores: 96_000, memoryBytes: memAt100 } };
    machines = machinePool(pool, 'alibaba');
    notes.push(describePool(pool, 'no machine_meta: the v2018 cluster has 4,034 machines of 96 cores'));
  }
  if (files.machine_usage && readUsage) {
    counted('machine_usage');
    const mu = await summarizeMachineUsage(files.machine_usage, newBad('machine_usage'));
    rowsRead += mu.rows;
    bump(events, 'machine_usage rows', mu.rows);
    notes.push(...mu.notes);
  }

  const cols = new TaskColumns(2);
  const jobs = new StringTable();
  const req = [NaN, NaN];
  const lim = [NaN, NaN];
  const usage = [NaN, NaN];

  // Online containers.
  const containerTask = new Map<string, number>();
  if (files.container_meta) {
    counted('container_meta');
    const F = FIELDS.container_meta;
    const bad = newBad('container_meta');
    let rows = 0;
    let changed = 0;
    for await (const { file, line, text } of readLines(files.container_meta)) {
      if (text.trim() === '') continue;
      rows++;
      const at: RowPlace = { file, line };
      try {
        const f = text.split(',');
        checkFieldCount(f, at, F.length, 'container_meta');
        const id = parseText(f[0], at, 0, F[0]);
        parseText(f[1], at, 1, F[1]);
        const time = parseNumber(f[2], at, { column: 2, field: F[2], min: 0 });
        const app = parseText(f[3], at, 3, F[3]);
        const status = parseText(f[4], at, 4, F[4]);
        const cpuReq = parseNumber(f[5], at, { column: 5, field: F[5], min: 0, optional: true });
        const cpuLim = parseNumber(f[6], at, { column: 6, field: F[6], min: 0, optional: true });
        const mem = parseNumber(f[7], at, { column: 7, field: F[7], min: 0, max: 100, optional: true, missing: INVALID_PERCENT });
        bump(events, `container_meta ${status}`);
        const known = containerTask.get(id);
        if (known !== undefined) {
          if (time * 1e6 < cols.submit[known]) cols.submit[known] = time * 1e6;
          if (cols.request[2 * known] !== cpuReq * MILLICORES_PER_CPU_UNIT) changed++;
          continue;
        }
        req[0] = cpuReq * MILLICORES_PER_CPU_UNIT;
        req[1] = mem * memScale;
        lim[0] = cpuLim * MILLICORES_PER_CPU_UNIT;
        lim[1] = NaN;
        const job = jobs.id(`container/${app}`);
        const i = cols.push({ submit: time * 1e6, duration: NaN, request: req, limit: lim, priority: 1, job, taskIndex: 0, user: -1 });
        containerTask.set(id, i);
      } catch (e) {
        bad.handle(e);
      }
    }
    rowsRead += rows;
    bump(events, 'container_meta rows', rows);
    // Task index within an app group, in order of appearance.
    const perJob = new Map<number, number>();
    for (const i of containerTask.values()) {
      const n = perJob.get(cols.job[i]) ?? 0;
      cols.taskIndex[i] = n;
      perJob.set(cols.job[i], n + 1);
    }
    notes.push(
      `container_meta: ${plural(rows, 'row')}, ${plural(containerTask.size, 'container')} (one task each, job = app_du, priority 1, arrival = first row, ` +
        `no end in the trace: duration NaN)` + (changed > 0 ? `; ${plural(changed, 'later row')} with another CPU request ignored` : ''),
    );
  }
  let usageSeries: UsageSeriesSet | undefined;
  let taskSeries: TaskUsageSeries | undefined;
  if (files.container_usage && readUsage && containerTask.size > 0) {
    counted('container_usage');
    const F = FIELDS.container_usage;
    const bad = newBad('container_usage');
    const acc = new UsageAccumulator(2);
    const builder = new UsageSeriesBuilder({ dims: 2, source: 'trace:container_usage' });
    const unmatched = new UnmatchedUsage();
    const v = [NaN, NaN];
    let rows = 0;
    let unknown = 0;
    for await (const { file, line, text } of readLines(files.container_usage)) {
      if (text.trim() === '') continue;
      rows++;
      const at: RowPlace = { file, line };
      try {
        const f = text.split(',');
        checkFieldCount(f, at, F.length, 'container_usage');
        const id = parseText(f[0], at, 0, F[0]);
        const time = parseNumber(f[2], at, { column: 2, field: F[2], min: 0 });
        v[0] = parseNumber(f[3], at, { column: 3, field: F[3], min: 0, optional: true, missing: INVALID_PERCENT }) / 100;
        v[1] = parseNumber(f[4], at, { column: 4, field: F[4], min: 0, max: 100, optional: true, missing: INVALID_PERCENT }) / 100;
        const i = containerTask.get(id);
        unmatched.count(id, i !== undefined);
        if (i === undefined) unknown++;
        else {
          if (!builder.addSample(i, time * 1e6, v)) {
            throw new InputError({ file, line, column: 2, field: F[2], expected: "a time within 10 years of the container's other samples", got: f[2].trim(), reason: `${F[2]}: out of range` });
          }
          acc.add(i, v);
        }
      } catch (e) {
        bad.handle(e);
      }
    }
    let withUsage = 0;
    for (const i of containerTask.values()) {
      if (acc.samples(i) === 0) continue;
      withUsage++;
      cols.usageFraction[2 * i] = acc.meanOf(i, 0);
      cols.usageFraction[2 * i + 1] = acc.meanOf(i, 1);
      cols.usageVariation[i] = acc.cv(i);
    }
    rowsRead += rows;
    bump(events, 'container_usage rows', rows);
    notes.push(
      `container_usage: ${plural(rows, 'row')}; ${plural(withUsage, 'container')} with usage (mean cpu_util_percent, mem_util_percent / 100, ` +
        `read as a share of the container's request — an assumption; CV of the CPU samples)` +
        (unknown > 0 ? `; ${plural(unknown, 'row')} for containers not in container_meta ignored` : ''),
    );
    const built = builder.build(cols.length);
    usageSeries = built.set;
    if (usageSeries !== undefined) taskSeries = { series: built.seriesOf };
    notes.push(
      `usage series: ${plural(usageSeries?.count ?? 0, 'container')} with a CPU and memory series on the 300-s grid from trace time 0 ` +
        '(each step the mean of the samples in it; steps without a sample are gaps, NaN); machine_usage is per machine and gives no task a series',
    );
    const warning = unmatched.warning('container_usage', 'container', 'container_meta');
    if (warning !== undefined) notes.push(warning);
  }

  // Batch tasks: plans and the DAG.
  const plans = new Map<string, TaskPlan>();
  const startAfter: Array<number[] | undefined> = [];
  let dagTasks = 0;
  let edges = 0;
  let unresolved = 0;
  const source = options.batchSource ?? (files.batch_instance ? 'instance' : 'task');
  if (files.batch_task) {
    counted('batch_task');
    const F = FIELDS.batch_task;
    const bad = newBad('batch_task');
    let rows = 0;
    let notStarted = 0;
    let missingPlan = 0;
    const byNumber = new Map<string, number>(); // `${job_name}#${n}` → schedlab job
    const pendingDeps: Array<{ job: number; jobName: string; parents: number[] }> = [];
    for await (const { file, line, text } of readLines(files.batch_task)) {
      if (text.trim() === '') continue;
      rows++;
      const at: RowPlace = { file, line };
      const f = text.split(',');
      if (looksLikeV2017('batch_task', f)) throw v2017Error('batch_task', at);
      try {
        checkFieldCount(f, at, F.length, 'batch_task');
        const taskName = parseText(f[0], at, 0, F[0]);
        const instances = parseNumber(f[1], at, { column: 1, field: F[1], integer: true, min: 0 });
        const jobName = parseText(f[2], at, 2, F[2]);
        const status = parseText(f[4], at, 4, F[4]);
        const start = parseNumber(f[5], at, { column: 5, field: F[5], min: 0, optional: true });
        const end = parseNumber(f[6], at, { column: 6, field: F[6], min: 0, optional: true });
        const cpu = parseNumber(f[7], at, { column: 7, field: F[7], min: 0, optional: true });
        const mem = parseNumber(f[8], at, { column: 8, field: F[8], min: 0, max: 100, optional: true });
        bump(events, `batch_task ${status}`);
        const job = jobs.id(`${jobName}/${taskName}`);
        plans.set(`${jobName}/${taskName}`, { cpu, mem, job });
        if (cpu !== cpu || mem !== mem) missingPlan++;
        const dag = parseDagName(taskName);
        if (dag !== null) {
          dagTasks++;
          byNumber.set(`${jobName}#${dag.id}`, job);
          if (dag.parents.length > 0) pendingDeps.push({ job, jobName, parents: dag.parents });
        }
        if (source !== 'task') continue;
        if (!(start > 0 || (start === 0 && end > 0)) || status === 'Waiting' || status === 'Ready') {
          notStarted++;
          continue;
        }
        req[0] = cpu * MILLICORES_PER_CPU_UNIT;
        req[1] = mem * memScale;
        let duration = end > 0 ? (end - start) * 1e6 : NaN;
        let killTime = NaN;
        if (status === 'Cancelled' && end === end) {
          killTime = end * 1e6;
          duration = NaN;
        }
        for (let k = 0; k < instances; k++) {
          cols.push({ submit: start * 1e6, duration, request: req, priority: 0, job, taskIndex: k, user: -1, killTime });
        }
      } catch (e) {
        bad.handle(e);
      }
    }
    for (const d of pendingDeps) {
      const list: number[] = [];
      for (const p of d.parents) {
        const pj = byNumber.get(`${d.jobName}#${p}`);
        if (pj === undefined) unresolved++;
        else list.push(pj);
      }
      edges += list.length;
      if (list.length > 0) startAfter[d.job] = list;
    }
    rowsRead += rows;
    bump(events, 'batch_task rows', rows);
    bump(events, 'DAG tasks', dagTasks);
    bump(events, 'DAG edges', edges);
    notes.push(
      `batch_task: ${plural(rows, 'row')}; ${plural(dagTasks, 'task')} with DAG names, ${plural(edges, 'dependency edge')} (startAfter; not enforced by the replay: ` +
        `tasks arrive at their recorded times, which already follow their parents)` +
        (unresolved > 0 ? `; ${plural(unresolved, 'dependency', 'dependencies')} on tasks not in batch_task` : '') +
        (missingPlan > 0 ? `; ${plural(missingPlan, 'task')} without plan_cpu or plan_mem (request NaN)` : ''),
    );
    if (source === 'task') {
      notes.push(
        `batch tasks from batch_task: instance_num tasks per row arriving at start_time with run time end − start (an upper bound per instance), usage unknown` +
          (notStarted > 0 ? `; ${plural(notStarted, 'row')} never started (Waiting/Ready or no start_time): left out` : ''),
      );
    }
  }
  if (files.batch_instance && source === 'instance') {
    counted('batch_instance');
    const F = FIELDS.batch_instance;
    const bad = newBad('batch_instance');
    let rows = 0;
    let notStarted = 0;
    let noPlan = 0;
    let withUsage = 0;
    let cancelled = 0;
    const perJob: number[] = [];
    for await (const { file, line, text } of readLines(files.batch_instance)) {
      if (text.trim() === '') continue;
      rows++;
      const at: RowPlace = { file, line };
      const f = text.split(',');
      if (looksLikeV2017('batch_instance', f)) throw v2017Error('batch_instance', at);
      try {
        checkFieldCount(f, at, F.length, 'batch_instance');
        parseText(f[0], at, 0, F[0]);
        const taskName = parseText(f[1], at, 1, F[1]);
        const jobName = parseText(f[2], at, 2, F[2]);
        const status = parseText(f[4], at, 4, F[4]);
        const start = parseNumber(f[5], at, { column: 5, field: F[5], min: 0, optional: true });
        const end = parseNumber(f[6], at, { column: 6, field: F[6], min: 0, optional: true });
        parseNumber(f[8], at, { column: 8, field: F[8], integer: true, min: 0, optional: true });
        parseNumber(f[9], at, { column: 9, field: F[9], integer: true, min: 0, optional: true });
        const cpuAvg = parseNumber(f[10], at, { column: 10, field: F[10], min: 0, optional: true });
        parseNumber(f[11], at, { column: 11, field: F[11], min: 0, optional: true });
        const memAvg = parseNumber(f[12], at, { column: 12, field: F[12], min: 0, max: 100, optional: true });
        parseNumber(f[13], at, { column: 13, field: F[13], min: 0, max: 100, optional: true });
        bump(events, `batch_instance ${status}`);
        if (!(start > 0) || status === 'Waiting' || status === 'Ready') {
          notStarted++;
          continue;
        }
        const key = `${jobName}/${taskName}`;
        const plan = plans.get(key);
        if (plan === undefined) noPlan++;
        const job = plan?.job ?? jobs.id(key);
        req[0] = (plan?.cpu ?? NaN) * MILLICORES_PER_CPU_UNIT;
        req[1] = (plan?.mem ?? NaN) * memScale;
        usage[0] = plan !== undefined && plan.cpu > 0 ? cpuAvg / plan.cpu : NaN;
        usage[1] = plan !== undefined && plan.mem > 0 ? memAvg / plan.mem : NaN;
        const known = usage[0] === usage[0];
        if (known) withUsage++;
        let duration = end > 0 && end >= start ? (end - start) * 1e6 : NaN;
        let killTime = NaN;
        if (status === 'Cancelled' && end === end) {
          killTime = end * 1e6;
          duration = NaN;
          cancelled++;
        }
        const index = perJob[job] ?? 0;
        perJob[job] = index + 1;
        cols.push({ submit: start * 1e6, duration, request: req, priority: 0, job, taskIndex: index, user: -1, usageFraction: usage, usageVariation: known ? 0 : NaN, killTime });
      } catch (e) {
        bad.handle(e);
      }
    }
    rowsRead += rows;
    bump(events, 'batch_instance rows', rows);
    notes.push(
      `batch_instance: ${plural(rows, 'row')}; one task per instance try, arriving at its start_time (no submit time in the trace), request = its task's plan; ` +
        `${plural(withUsage, 'instance')} with usage (cpu_avg / plan_cpu, mem_avg / plan_mem; variation 0: only averages are given)` +
        (notStarted > 0 ? `; ${plural(notStarted, 'instance')} never started (Waiting/Ready or no start_time): left out` : '') +
        (noPlan > 0 ? `; ${plural(noPlan, 'instance')} of tasks not in batch_task (request NaN)` : '') +
        (cancelled > 0 ? `; ${plural(cancelled, 'instance')} Cancelled: killTime = end_time` : ''),
    );
  }
  if (cols.length === 0) notes.push('no container or batch tables: the workload has machines but no tasks');
  let missingReq = 0;
  for (let i = 0; i < cols.length; i++) if (cols.request[2 * i] !== cols.request[2 * i] || cols.request[2 * i + 1] !== cols.request[2 * i + 1]) missingReq++;
  if (missingReq > 0) notes.push(`${plural(missingReq, 'task')} with a missing CPU or memory request (NaN, not 0)`);
  bads.report(badRows, notes);
  const stats: SourceStats = { rowsRead, files: fileCount, eventCounts: events, badRows };
  const batchSize = options.batchSize ?? 65_536;
  // A subset of the tables that starts after 0 (reader-kit/window-start.ts) is replayed from its
  // first task; its rows are whole records (arrival and end in one row), so none running is hidden.
  const firstArrival = firstSubmit(cols);
  const atStart = firstArrival > 0 ? machinesAt(machines, machineEvents, firstArrival) : { machines, events: machineEvents, applied: 0 };
  if (firstArrival > 0) {
    notes.push(
      `window: the first task arrives at ${(firstArrival / 1e6).toLocaleString('en-US')} s, not 0: a subset of the trace, replayed from its first task ` +
        `(${plural(atStart.machines.length, 'machine')} up then${atStart.applied > 0 ? `, ${plural(atStart.applied, 'machine event')} before it applied` : ''})`,
    );
  }
  return {
    name: `alibaba-2018:${path.normalize(input)}`,
    resources: ALIBABA_2018_RESOURCES,
    machines: atStart.machines,
    machineEvents: atStart.events,
    jobs: jobs.list,
    users: [],
    taskBatches: async function* () {
      yield* batchesWithUsageSeries(cols, batchSize, taskSeries);
    },
    notes,
    sourceStats: stats,
    expectedTasks: cols.length,
    // The trace covers 8 days; machine_meta rows run a little past that (696,633 s), so take the later.
    horizon: Math.max(8 * 24 * 3600 * 1e6, machineEvents.length > 0 ? machineEvents[machineEvents.length - 1].time : 0, lastSubmit(cols)),
    startAfter,
    ...(firstArrival > 0 ? { start: firstArrival } : {}),
    ...(usageSeries !== undefined ? { usageSeries } : {}),
    priorityScale: 'kubernetes',
  };
}
