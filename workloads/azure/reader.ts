import * as path from 'node:path';
import { UsageError, InputError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import { readLines } from '../gzip-lines.js';
import { BadRows, checkFieldCount, parseNumber, parseText, type RowPlace } from '../reader-kit/fields.js';
import { checkMachinePool, describePool, machinePool, type MachinePoolOption } from '../reader-kit/machine-pool.js';
import { peakDemand } from '../reader-kit/peak-demand.js';
import { bump, plural, StringTable } from '../reader-kit/string-table.js';
import { findTableFiles, isDir, tableOfFile } from '../reader-kit/table-files.js';
import { TaskColumns } from '../reader-kit/task-columns.js';
import { UsageAccumulator } from '../reader-kit/usage-accumulator.js';
import { UsageSeriesBuilder } from '../reader-kit/usage-series-builder.js';
import { batchesWithUsageSeries, type TaskUsageSeries } from '../reader-kit/task-usage-series.js';
import { UnmatchedUsage } from '../reader-kit/unmatched-usage.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { SourceStats, Workload } from '../../model/workload.js';
import {
  AZURE_GB,
  isV2Cores,
  isV2Memory,
  MAX_VM_CORES,
  MAX_VM_MEMORY_GB,
  V2_CORE_BUCKETS,
  V2_MEMORY_BUCKETS_GB,
  VM_CATEGORIES,
  VM_CPU_READINGS_FIELDS,
  vmCategory,
  VMTABLE_FIELDS,
} from './schema.js';

/**
 * Azure VM trace (V1 or V2) → Workload. One task per VM (vmtable row):
 * - arrival = vmcreated, run time = vmdeleted − vmcreated (s → µs); vmcreated 0 = existed at the
 *   start. Request = the VM's size: cores × 1000 millicores, memory GB × 2^30 bytes; V2 sizes are
 *   buckets, mapped by V2_CORE_BUCKETS / V2_MEMORY_BUCKETS_GB (or `v2Buckets`).
 * - job = deployment, user = subscription, priority 0 for all (the trace has no priority;
 *   vmcategory is counted in sourceStats).
 * - usage: CPU from vm_cpu_readings when given (mean of the 5-minute avgcpu readings / 100 and
 *   their coefficient of variation); else vmtable's lifetime avgcpu / 100 with variation 0 (no
 *   series). Memory usage is not in the trace (NaN).
 * - usage over time (Workload.usageSeries, TaskBatch.usageSeries): one series per VM with
 *   readings, a reading covering [timestamp, timestamp + 300 s) (../shared/docs/trace-formats.md
 *   §1.4: "avgcpu, % over the 5-minute interval", timestamps multiples of 300), value avgcpu / 100:
 *   the share of the VM's cores used, read as a fraction of its CPU request (exact for V1 sizes;
 *   for V2 the request is the bucket's upper bound, so the fraction is a lower bound). Memory NaN;
 *   mincpu/maxcpu are checked but not kept (the series holds window means). Readings whose VM is
 *   not in the vmtable are counted, and a readings file none of whose VMs is in the vmtable is a
 *   "warning:" note (issue 10: a usage file whose ids match nothing is reported).
 * - priorityScale 'kubernetes': the trace has no priority, so every VM gets 0, which the Kubernetes
 *   reading takes as "no PriorityClass" (the mid band). A VM is a customer's VM, not the free or
 *   best-effort work Borg's priority 0 means (model/priority-bands.ts), so the Google 2011 scale,
 *   where 0 is free, would misrank every VM as the first to evict.
 * Machines: the trace has none. `machines` gives them; by default, enough identical hosts of
 * DEFAULT_AZURE_HOST to hold the recorded peak of concurrent VM requests.
 */
export interface AzureReadOptions {
  onBadRow?: OnBadRow;
  /** 'v1' (cores, GB), 'v2' (buckets) or 'auto' (default: from the values, see detectVersion). */
  version?: 'v1' | 'v2' | 'auto';
  v2Buckets?: { cores?: Record<string, number>; memoryGB?: Record<string, number> };
  machines?: MachinePoolOption;
  /** Catalog instance type of the hosts (from --instance; prices them). */
  instanceType?: string;
  /** Shape of the default pool's hosts instead of DEFAULT_AZURE_HOST (from --instance without --nodes). */
  host?: { cpuMillicores: number; memoryBytes: number };
  /** Read vm_cpu_readings when present (default true). */
  readings?: boolean;
  batchSize?: number;
}

/** Default host for the machine pool: 64 cores, 512 GiB (a 2-socket server of 2017–2019; an assumption). */
export const DEFAULT_AZURE_HOST = { cpuMillicores: 64_000, memoryBytes: 512 * AZURE_GB };

export const AZURE_RESOURCES = { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] } as const;

const CSV = /\.csv(\.gz)?$/i;

/** Each vm_cpu_readings row covers the 5 minutes from its timestamp (../shared/docs/trace-formats.md §1.4). */
const READING_SECONDS = 300;

/** The vmtable and vm_cpu_readings files behind a path (folder of the trace, or one vmtable file). */
export function azureFiles(input: string): { vmtable: string[]; readings: string[] } {
  if (isDir(input)) {
    const vmtable = findTableFiles(input, 'vmtable', CSV);
    if (vmtable.length === 0) throw new InputError({ file: input, problem: 'not an Azure VM trace folder: no vmtable/ or vmtable.csv(.gz)' });
    return { vmtable, readings: findTableFiles(input, 'vm_cpu_readings', CSV) };
  }
  if (tableOfFile(input, ['vmtable', 'vm_cpu_readings']) === 'vm_cpu_readings') {
    throw new InputError({ file: input, problem: 'vm_cpu_readings alone is not a workload: give the trace folder or the vmtable file' });
  }
  return { vmtable: [input], readings: [] };
}

export async function readAzure(input: string, options: AzureReadOptions = {}): Promise<Workload> {
  const onBadRow = options.onBadRow ?? 'fail';
  const want = options.version ?? 'auto';
  if (!['v1', 'v2', 'auto'].includes(want)) throw new UsageError(`version must be v1, v2 or auto, got '${String(want)}'`);
  if (options.machines) checkMachinePool(options.machines);
  const coreBuckets = { ...V2_CORE_BUCKETS, ...options.v2Buckets?.cores };
  const memBuckets = { ...V2_MEMORY_BUCKETS_GB, ...options.v2Buckets?.memoryGB };
  const files = azureFiles(input);
  const bad = new BadRows('vmtable', onBadRow);
  const cols = new TaskColumns(2);
  const jobs = new StringTable();
  const users = new StringTable();
  const perJob: number[] = [];
  const events: Record<string, number> = {};
  /** Category spellings read through VM_CATEGORY_ALIASES, with their row counts. */
  const aliased: Record<string, number> = {};
  /** Raw size texts per task (interned) — their meaning depends on the version, decided after the scan. */
  const sizes = new StringTable();
  const sizeOfTask: number[] = [];
  const vmIndex = new Map<string, number>();
  const wantReadings = (options.readings ?? true) && files.readings.length > 0;
  let rows = 0;
  let sawV1Only = 0;
  let sawV2Only = 0;
  let lastTime = 0;
  let atStart = 0;
  let firstCreated = Infinity;
  const req = [NaN, NaN];
  const usage = [NaN, NaN];

  for await (const { file, line, text } of readLines(files.vmtable)) {
    if (text.trim() === '') continue;
    rows++;
    const at: RowPlace = { file, line };
    try {
      const f = text.split(',');
      checkFieldCount(f, at, VMTABLE_FIELDS.length, 'vmtable');
      const vmid = parseText(f[0], at, 0, 'vmid');
      const sub = parseText(f[1], at, 1, 'subscriptionid');
      const dep = parseText(f[2], at, 2, 'deploymentid');
      const created = parseNumber(f[3], at, { column: 3, field: 'vmcreated', min: 0 });
      const deleted = parseNumber(f[4], at, { column: 4, field: 'vmdeleted', min: created });
      for (let c = 5; c <= 7; c++) parseNumber(f[c], at, { column: c, field: VMTABLE_FIELDS[c], min: 0, max: 100, optional: true });
      const avgcpu = parseNumber(f[6], at, { column: 6, field: 'avgcpu', min: 0, max: 100, optional: true });
      const categoryText = f[8].trim();
      const category = vmCategory(categoryText);
      if (category === undefined) {
        throw new InputError({ file, line, column: 8, field: 'vmcategory', expected: VM_CATEGORIES.join(', '), got: categoryText, reason: 'vmcategory: unknown' });
      }
      if (category !== categoryText) bump(aliased, categoryText);
      const cores = f[9].trim();
      const mem = f[10].trim();
      const coreNum = cores.startsWith('>') ? NaN : parseNumber(cores, at, { column: 9, field: 'vmcorecount', min: 0, max: MAX_VM_CORES });
      const memNum = mem.startsWith('>') ? NaN : parseNumber(mem, at, { column: 10, field: 'vmmemory', min: 0, max: MAX_VM_MEMORY_GB });
      if (cores.startsWith('>') && !(cores in coreBuckets)) {
        throw new InputError({ file, line, column: 9, field: 'vmcorecount', expected: `a core count or a V2 bucket (${Object.keys(coreBuckets).join(', ')})`, got: cores });
      }
      if (mem.startsWith('>') && !(mem in memBuckets)) {
        throw new InputError({ file, line, column: 10, field: 'vmmemory', expected: `memory GB or a V2 bucket (${Object.keys(memBuckets).join(', ')})`, got: mem });
      }
      if (cores.startsWith('>') || mem.startsWith('>')) sawV2Only++;
      else if (!isV2Memory(mem) || !isV2Cores(cores)) sawV1Only++;
      void coreNum;
      void memNum;
      bump(events, category);
      const job = jobs.id(dep);
      const index = perJob[job] ?? 0;
      perJob[job] = index + 1;
      usage[0] = avgcpu === avgcpu ? avgcpu / 100 : NaN;
      const i = cols.push({
        submit: created * 1e6,
        duration: (deleted - created) * 1e6,
        request: req,
        priority: 0,
        job,
        taskIndex: index,
        user: users.id(sub),
        usageFraction: usage,
        usageVariation: avgcpu === avgcpu ? 0 : NaN,
      });
      sizeOfTask[i] = sizes.id(`${cores},${mem}`);
      if (wantReadings) vmIndex.set(vmid, i);
      if (created === 0) atStart++;
      if (created < firstCreated) firstCreated = created;
      lastTime = Math.max(lastTime, deleted);
    } catch (e) {
      bad.handle(e);
    }
  }

  // Version: a '>' bucket proves V2, a size no V2 bucket has (0.75 GB, 3.5 GB, 1 core) proves V1.
  let version: 'v1' | 'v2';
  const notes: string[] = [];
  if (want !== 'auto') version = want;
  else if (sawV2Only > 0 && sawV1Only > 0) {
    throw new InputError({
      file: files.vmtable[0],
      problem: `vmtable mixes V1 sizes (${sawV1Only} rows with sizes no V2 bucket has) and V2 buckets (${sawV2Only} rows with '>' buckets); pass version 'v1' or 'v2'`,
    });
  } else if (sawV1Only > 0) version = 'v1';
  else version = 'v2';
  if (want === 'auto' && sawV1Only === 0 && sawV2Only === 0 && rows > 0) {
    notes.push('version: every size is also a V2 bucket label and no ">" bucket appears; read as V2 (pass version v1 to override)');
  }
  // Sizes → request, per distinct size text.
  const sizeValues = sizes.list.map((s) => {
    const [c, m] = s.split(',');
    if (version === 'v1') return [Number(c) * 1000, Number(m) * AZURE_GB];
    const cv = coreBuckets[c] ?? Number(c);
    const mv = memBuckets[m] ?? Number(m);
    return [cv * 1000, mv * AZURE_GB];
  });
  let offBucket = 0;
  for (let i = 0; i < cols.length; i++) {
    const [c, m] = sizeValues[sizeOfTask[i]];
    cols.request[2 * i] = c;
    cols.request[2 * i + 1] = m;
    if (version === 'v2') {
      const [ct, mt] = sizes.list[sizeOfTask[i]].split(',');
      if (!(ct in coreBuckets) || !(mt in memBuckets)) offBucket++;
    }
  }

  // A subset of vmtable rows with no VM at the start (vmcreated 0) starts at its first VM
  // (reader-kit/window-start.ts); each row is a whole VM lifetime, so none running is hidden.
  const subset = rows > 0 && atStart === 0 && firstCreated > 0 && firstCreated !== Infinity;

  // vm_cpu_readings: streaming mean and CV per VM, and its series on the 300-s grid from the start.
  let readingRows = 0;
  let readingsUnknownVm = 0;
  let withReadings = 0;
  const rbad = new BadRows('vm_cpu_readings', onBadRow);
  const unmatched = new UnmatchedUsage();
  let usageSeries: UsageSeriesSet | undefined;
  let taskSeries: TaskUsageSeries | undefined;
  if (wantReadings) {
    const acc = new UsageAccumulator(1);
    const builder = new UsageSeriesBuilder({ dims: 2, source: 'trace:vm_cpu_readings', origin: subset ? firstCreated * 1e6 : 0, measured: [true, false] });
    const v = [NaN];
    const series = [NaN, NaN];
    for await (const { file, line, text } of readLines(files.readings)) {
      if (text.trim() === '') continue;
      readingRows++;
      const at: RowPlace = { file, line };
      try {
        const f = text.split(',');
        checkFieldCount(f, at, VM_CPU_READINGS_FIELDS.length, 'vm_cpu_readings');
        const time = parseNumber(f[0], at, { column: 0, field: 'timestamp', min: 0 });
        const vmid = parseText(f[1], at, 1, 'vmid');
        parseNumber(f[2], at, { column: 2, field: 'mincpu', min: 0, max: 100 });
        parseNumber(f[3], at, { column: 3, field: 'maxcpu', min: 0, max: 100 });
        v[0] = parseNumber(f[4], at, { column: 4, field: 'avgcpu', min: 0, max: 100 }) / 100;
        const i = vmIndex.get(vmid);
        unmatched.count(vmid, i !== undefined);
        if (i === undefined) readingsUnknownVm++;
        else {
          series[0] = v[0];
          if (!builder.add(i, time * 1e6, (time + READING_SECONDS) * 1e6, series)) {
            throw new InputError({ file, line, column: 0, field: 'timestamp', expected: "a time within 10 years of the VM's other readings", got: f[0].trim(), reason: 'timestamp: out of range' });
          }
          acc.add(i, v);
        }
      } catch (e) {
        rbad.handle(e);
      }
    }
    for (let i = 0; i < cols.length; i++) {
      if (acc.samples(i) > 0) {
        withReadings++;
        cols.usageFraction[2 * i] = acc.meanOf(i, 0);
        cols.usageVariation[i] = acc.cv(i);
      }
    }
    const built = builder.build(cols.length);
    usageSeries = built.set;
    if (usageSeries !== undefined) taskSeries = { series: built.seriesOf };
  }

  const badRows: Record<string, number> = {};
  notes.unshift(
    `azure ${version.toUpperCase()}: vmtable ${plural(rows, 'row')} from ${plural(files.vmtable.length, 'file')}; one task per VM ` +
      `(arrival = vmcreated, run time = vmdeleted − vmcreated; seconds × 10^6 = µs); ${plural(atStart, 'VM')} existed at the start (vmcreated 0)`,
  );
  notes.push(
    version === 'v1'
      ? 'units: V1 sizes are cores (× 1000 millicores) and GB (× 2^30 bytes: Azure sizes are binary, 0.75 GB = 768 MiB)'
      : `units: V2 sizes are buckets read as their upper bound: cores ${Object.entries(coreBuckets).map(([k, v]) => `${k}→${v}`).join(', ')}; ` +
          `memory GB ${Object.entries(memBuckets).map(([k, v]) => `${k}→${v}`).join(', ')} (× 1000 millicores, × 2^30 bytes; the open buckets are assumptions; v2Buckets option)`,
  );
  if (offBucket > 0) notes.push(`${plural(offBucket, 'VM')} had a V2 size that is not a bucket label: used as a number`);
  notes.push(
    'job = deployment, user = subscription; priority: not in the trace, 0 for all (vmcategory counted in sourceStats.eventCounts), ' +
      "read on the Kubernetes scale (0 = no PriorityClass: the mid band, not Borg's free band)",
  );
  for (const [text, count] of Object.entries(aliased)) {
    notes.push(`vmcategory: ${plural(count, 'row')} spelled "${text}" (as in the published data) read as ${vmCategory(text)} and counted with it`);
    bump(events, `vmcategory "${text}" read as ${vmCategory(text)}`, count);
  }
  if (wantReadings) {
    notes.push(
      `usage: vm_cpu_readings ${plural(readingRows, 'row')} from ${plural(files.readings.length, 'file')}: ${plural(withReadings, 'VM')} with readings ` +
        `(CPU usage = mean avgcpu / 100, variation = CV of the 5-minute readings); the others use vmtable avgcpu with variation 0` +
        (readingsUnknownVm > 0 ? `; ${plural(readingsUnknownVm, 'reading')} for VMs not in vmtable ignored` : ''),
    );
    notes.push(
      usageSeries !== undefined
        ? `usage series: ${plural(usageSeries.count, 'VM')} with a CPU series on the 300-s grid (each reading covers [timestamp, timestamp + 300 s), value avgcpu / 100 ` +
            `of the VM's CPU request; steps without a reading are gaps, NaN); memory NaN (not in the trace); mincpu/maxcpu not kept`
        : 'usage series: none (no reading matched a VM of the vmtable)',
    );
    const warning = unmatched.warning('vm_cpu_readings', 'VM', 'the vmtable');
    if (warning !== undefined) notes.push(warning);
  } else {
    notes.push('usage: CPU = vmtable lifetime avgcpu / 100 (no vm_cpu_readings read, so no variation: taken as 0); memory usage is not in the trace (NaN)');
  }
  let pool = options.machines;
  if (pool === undefined) {
    const peak = peakDemand(cols);
    const host = options.host ?? DEFAULT_AZURE_HOST;
    const count = Math.max(1, Math.ceil(Math.max(peak[0] / host.cpuMillicores, peak[1] / host.memoryBytes)));
    pool = { count, capacity: host };
    notes.push(
      describePool(
        pool,
        `the trace has no machines: enough hosts${options.instanceType !== undefined ? ` of ${options.instanceType} (--instance)` : ''} to hold the recorded peak of concurrent VMs (${peak[0] / 1000} cores, ${+(peak[1] / AZURE_GB).toFixed(2)} GiB)`,
      ),
    );
  } else notes.push(describePool(pool, `the trace has no machines${options.instanceType !== undefined ? `: hosts of ${options.instanceType} (--nodes, --instance)` : ''}`));
  if (subset) {
    notes.push(`window: no VM existed at the start (vmcreated 0) and the first is created at ${firstCreated.toLocaleString('en-US')} s: a subset, replayed from its first VM`);
  }
  bad.report(badRows, notes);
  rbad.report(badRows, notes);
  if (wantReadings) bump(events, 'vm_cpu_readings rows', readingRows);
  const stats: SourceStats = {
    rowsRead: rows + readingRows,
    files: files.vmtable.length + (wantReadings ? files.readings.length : 0),
    eventCounts: events,
    badRows,
  };
  const batchSize = options.batchSize ?? 65_536;
  return {
    name: `azure-${version}:${path.normalize(input)}`,
    resources: AZURE_RESOURCES,
    machines: machinePool(pool, 'azure').map((m) => (options.instanceType !== undefined ? { ...m, instanceType: options.instanceType } : m)),
    machineEvents: [],
    jobs: jobs.list,
    users: users.list,
    taskBatches: async function* () {
      yield* batchesWithUsageSeries(cols, batchSize, taskSeries);
    },
    notes,
    sourceStats: stats,
    expectedTasks: cols.length,
    horizon: lastTime > 0 ? lastTime * 1e6 : undefined,
    ...(subset ? { start: firstCreated * 1e6 } : {}),
    ...(usageSeries !== undefined ? { usageSeries } : {}),
    priorityScale: 'kubernetes',
  };
}
