import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { GiB } from '../../model/units.js';
import { UsageError, displayPath, InputError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import { isGlob, listInputFiles, readLines } from '../gzip-lines.js';
import { BadRows, checkFieldCount, parseNumber, type RowPlace } from '../reader-kit/fields.js';
import { checkMachinePool, describePool, machinePool, type MachinePoolOption } from '../reader-kit/machine-pool.js';
import { bump, plural, StringTable } from '../reader-kit/string-table.js';
import { isDir } from '../reader-kit/table-files.js';
import { TaskColumns } from '../reader-kit/task-columns.js';
import type { SourceStats, Workload } from '../../model/workload.js';
import type { MachineSpec } from '../../model/machine.js';
import { emptySwfHeader, F, readHeaderLine, SWF_FIELD_COUNT, SWF_FIELDS, SWF_STATUS, swfFieldNumber, type SwfHeader } from './schema.js';

/**
 * SWF log → Workload. One workload task per job line (a line of a checkpointed job — status 2, 3
 * or 4 — is replayed as its own task):
 * - arrival = submit time (s → µs); run time = field 4 (NaN when -1); wait time is the recorded
 *   scheduler's, not replayed.
 * - CPU request = processors × millicoresPerProcessor, with processors = allocated (field 5), or
 *   requested (field 8) when allocated is -1; memory request = requested memory (field 10, KB per
 *   processor) × processors × 1024 bytes; -1 → NaN (missing, counted).
 * - usage: CPU = average CPU time per processor (field 6) / run time; memory = used memory (field 7)
 *   / requested memory; both only when the fields are present. The log has no usage time series, so
 *   the coefficient of variation is unknown and taken as 0 (flat) where the mean is known.
 * - status 5 (cancelled) that never started — wait time -1 (no start recorded), or no run time
 *   (≤ 0 or -1) — is a kill while pending, not a start: killTime = submit + wait time when the wait
 *   is known (the recorded moment it left the queue), else submit + run time when that is given
 *   (the only span the log records for it), else the submit time; duration NaN.
 * - header comments MaxProcs, MaxNodes, MaxMemory that are unreadable or implausible (schema.ts)
 *   are not used, with a warning naming the header; so is a MaxProcs smaller than the widest job.
 * - messages number fields from 1, as the SWF definition does ("field 4 (run time)").
 * - an excerpt whose first job is submitted after 0 (the definition starts every log at 0) is
 *   replayed from its first job (Workload.start).
 * - priority: SWF has none; every task gets 0 (queue numbers are counted in sourceStats).
 * - preceding job / think time (fields 17–18) are dependencies of models, not enforced by the
 *   replay (counted in notes).
 * Machines: SWF has no machine table. Default: the header's MaxProcs (else the largest processor
 * count in the log) as ONE machine — a pool of processors, the usual model of parallel job
 * scheduling — with memory MaxMemory × MaxProcs when the header gives MaxMemory, else the largest
 * total memory request in the log (at least 1 GiB). `machines` overrides it.
 * Rigid parallel jobs (`nodes`, from --nodes and --instance): the cluster is `count` nodes whose
 * vCPUs are processors (one processor = millicoresPerProcessor), and a job of P processors (field 5,
 * "Number of Allocated Processors") is a gang of P one-processor tasks — each requesting one
 * processor and the job's requested memory per processor (field 10) — placed all-or-nothing
 * across the nodes (TaskBatch.gang): the job starts when all P processors are free at once.
 */
export interface SwfReadOptions {
  onBadRow?: OnBadRow;
  /** Millicores per SWF processor (default 1000: one processor = one core). */
  millicoresPerProcessor?: number;
  /** Machines to replay on instead of the default pool described above. */
  machines?: MachinePoolOption;
  /** Rigid parallel jobs as gangs on `count` nodes of this shape (from --nodes and --instance). */
  nodes?: SwfNodes;
  batchSize?: number;
}

export interface SwfNodes {
  /** Nodes; undefined = enough for the log's processors (MaxProcs when usable, else the widest job). */
  count?: number;
  cpuMillicores: number;
  memoryBytes: number;
  /** Catalog instance type of the nodes (prices them). */
  instanceType?: string;
}

export const SWF_RESOURCES = { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] } as const;

/** The SWF files behind a path: a file, a glob, or a folder's *.swf / *.swf.gz files. */
export async function swfFiles(input: string): Promise<string[]> {
  if (isGlob(input)) return listInputFiles(input);
  if (isDir(input)) {
    const files = readdirSync(input)
      .filter((n) => /\.swf(\.gz)?$/i.test(n))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((n) => path.join(input, n));
    if (files.length === 0) throw new InputError({ file: input, problem: 'folder has no .swf or .swf.gz files' });
    return files;
  }
  return listInputFiles(input);
}

export async function readSwf(input: string, options: SwfReadOptions = {}): Promise<Workload> {
  const onBadRow = options.onBadRow ?? 'fail';
  const mcpp = options.millicoresPerProcessor ?? 1000;
  if (!(mcpp > 0 && Number.isFinite(mcpp))) throw new UsageError(`millicoresPerProcessor must be a positive number, got ${mcpp}`);
  if (options.machines) checkMachinePool(options.machines);
  const gangNodes = options.nodes;
  if (gangNodes !== undefined) {
    if (options.machines !== undefined) throw new UsageError('swf: give machines (one pool) or nodes (gangs across nodes), not both');
    checkMachinePool({ count: gangNodes.count ?? 1, capacity: { cpuMillicores: gangNodes.cpuMillicores, memoryBytes: gangNodes.memoryBytes } }, 'nodes');
    if (gangNodes.cpuMillicores < mcpp) throw new UsageError(`swf: a node of ${gangNodes.cpuMillicores / 1000} cores holds no whole processor of ${mcpp / 1000} cores`);
  }
  /** Gang mode: processors per job (0 = no gang: processors unknown). */
  const gangSize: number[] = [];
  let widerThanCluster = 0;
  let withoutProcs = 0;
  const files = await swfFiles(input);
  const bad = new BadRows('swf', onBadRow);
  const header: SwfHeader = emptySwfHeader();
  const cols = new TaskColumns(2);
  const jobs = new StringTable();
  const users = new StringTable();
  const events: Record<string, number> = {};
  let rows = 0;
  let comments = 0;
  let outOfOrder = 0;
  let lastSubmit = -Infinity;
  let firstSubmit = Infinity;
  let missingRun = 0;
  let missingProcs = 0;
  let procsFromRequest = 0;
  let missingMem = 0;
  let cancelledQueued = 0;
  let withDependency = 0;
  let usageKnown = 0;
  let maxProcsSeen = 0;
  let widestAt = '';
  let maxMemSeen = 0;
  let lastEnd = 0;
  const request = [0, 0];
  const usage = [NaN, NaN];

  for await (const { file, line, text } of readLines(files)) {
    const t = text.trim();
    if (t === '') continue;
    if (t.startsWith(';')) {
      comments++;
      readHeaderLine(t, header, { file, line });
      continue;
    }
    rows++;
    const at: RowPlace = { file, line };
    try {
      const f = t.split(/\s+/);
      checkFieldCount(f, at, SWF_FIELD_COUNT, 'SWF job line');
      const num = (i: number, opt: { integer?: boolean; min?: number } = {}) =>
        parseNumber(f[i], at, { column: i, field: SWF_FIELDS[i], optional: true, missing: ['-1'], ...opt });
      const jobNo = parseNumber(f[F.job], at, { column: F.job, field: SWF_FIELDS[F.job], integer: true, min: 1 });
      const submit = parseNumber(f[F.submit], at, { column: F.submit, field: SWF_FIELDS[F.submit], min: 0 });
      const wait = num(F.wait, { min: 0 });
      const run = num(F.run, { min: 0 });
      const alloc = num(F.allocProcs, { integer: true, min: 0 });
      const avgCpu = num(F.avgCpu, { min: 0 });
      const usedMem = num(F.usedMem, { min: 0 });
      const reqProcs = num(F.reqProcs, { integer: true, min: 0 });
      num(F.reqTime, { min: 0 });
      const reqMem = num(F.reqMem, { min: 0 });
      const status = parseNumber(f[F.status], at, { column: F.status, field: SWF_FIELDS[F.status], integer: true, min: -1, max: 5 });
      const user = num(F.user, { integer: true });
      num(F.group, { integer: true });
      num(F.executable, { integer: true });
      const queue = num(F.queue, { integer: true });
      num(F.partition, { integer: true });
      const preceding = num(F.preceding, { integer: true });
      num(F.think);

      bump(events, `status ${status} ${SWF_STATUS[status]}`);
      if (queue === queue) bump(events, `queue ${queue}`);
      if (submit < lastSubmit) outOfOrder++;
      lastSubmit = Math.max(lastSubmit, submit);
      firstSubmit = Math.min(firstSubmit, submit);
      let procs = alloc > 0 ? alloc : NaN;
      if (procs !== procs && reqProcs > 0) {
        procs = reqProcs;
        procsFromRequest++;
      }
      if (procs !== procs) missingProcs++;
      else if (procs > maxProcsSeen) {
        maxProcsSeen = procs;
        widestAt = `job ${jobNo}, line ${line}`;
      }
      request[0] = procs * mcpp;
      request[1] = reqMem === reqMem ? reqMem * 1024 * procs : NaN;
      if (request[1] !== request[1]) missingMem++;
      else maxMemSeen = Math.max(maxMemSeen, request[1]);
      usage[0] = avgCpu === avgCpu && run > 0 ? avgCpu / run : NaN;
      usage[1] = usedMem === usedMem && reqMem > 0 ? usedMem / reqMem : NaN;
      const known = usage[0] === usage[0] || usage[1] === usage[1];
      if (known) usageKnown++;
      let duration = run === run ? run * 1e6 : NaN;
      let killTime = NaN;
      if (status === 5 && (wait !== wait || !(run > 0))) {
        // Cancelled before it started: it leaves the queue, it never runs.
        cancelledQueued++;
        killTime = (submit + (wait === wait ? wait : run === run ? run : 0)) * 1e6;
        duration = NaN;
      } else if (run !== run) missingRun++;
      if (preceding === preceding && preceding > 0) withDependency++;
      if (killTime === killTime) lastEnd = Math.max(lastEnd, killTime / 1e6);
      else if (run === run) lastEnd = Math.max(lastEnd, submit + (wait === wait ? wait : 0) + run);
      const jobId = jobs.id(String(jobNo));
      const row = {
        submit: submit * 1e6,
        duration,
        request,
        priority: 0,
        job: jobId,
        taskIndex: 0,
        user: user === user ? users.id(String(user)) : -1,
        usageFraction: usage,
        usageVariation: known ? 0 : NaN,
        killTime,
      };
      if (gangNodes !== undefined && procs === procs) {
        // A rigid job of P processors: a gang of P one-processor tasks.
        request[0] = mcpp;
        request[1] = reqMem === reqMem ? reqMem * 1024 : NaN;
        gangSize[jobId] = procs;
        for (let k = 0; k < procs; k++) {
          row.taskIndex = k;
          cols.push(row);
        }
      } else {
        if (gangNodes !== undefined) withoutProcs++;
        cols.push(row);
      }
    } catch (e) {
      bad.handle(renumberField(e));
    }
  }

  const notes: string[] = [];
  const badRows: Record<string, number> = {};
  notes.push(
    `swf: ${plural(rows, 'job line')} from ${plural(files.length, 'file')} (${plural(comments, 'comment line')}); one task per job line; ` +
      `times are seconds × 10^6 (µs), relative to the log start${header.unixStartTime !== undefined ? ` (UnixStartTime ${header.unixStartTime})` : ''}`,
  );
  notes.push(
    `units: one processor = ${mcpp} millicores (millicoresPerProcessor option); memory request = requested memory (KB per processor) × processors × 1024 bytes; ` +
      `processors = allocated, or requested when allocated is -1 (${plural(procsFromRequest, 'job')})`,
  );
  for (const w of header.warnings) notes.push(`warning: ${w}`);
  let headerProcs = header.maxProcs;
  if (headerProcs !== undefined && headerProcs < maxProcsSeen) {
    const at = header.at.MaxProcs;
    notes.push(
      `warning: ${displayPath(at.file)} line ${at.line}: SWF header MaxProcs ${headerProcs.toLocaleString('en-US')} is smaller than the widest job ` +
        `(${maxProcsSeen.toLocaleString('en-US')} processors, ${widestAt}); the header is not used`,
    );
    headerProcs = undefined;
  }
  let machinesOpt = options.machines;
  let machines: MachineSpec[] = [];
  if (gangNodes !== undefined) {
    const perNode = Math.floor(gangNodes.cpuMillicores / mcpp);
    const count = gangNodes.count ?? Math.max(1, Math.ceil((headerProcs ?? maxProcsSeen) / perNode));
    for (const p of gangSize) if (p > perNode * count) widerThanCluster++;
    machines = Array.from({ length: count }, (_, i) => ({
      id: `swf-node-${i}`,
      capacity: [gangNodes.cpuMillicores, gangNodes.memoryBytes],
      ...(gangNodes.instanceType !== undefined ? { instanceType: gangNodes.instanceType } : {}),
    }));
    notes.push(
      `machines: ${plural(count, 'node')}${gangNodes.instanceType !== undefined ? ` of ${gangNodes.instanceType}` : ''} ` +
        `(${gangNodes.count !== undefined ? '--nodes' : `enough for the log's ${(headerProcs ?? maxProcsSeen).toLocaleString('en-US')} processors (${headerProcs !== undefined ? 'MaxProcs' : 'the widest job'}); --nodes to choose`}, --instance), ` +
        `${plural(perNode, 'processor')} each (a vCPU is a processor: ${mcpp} millicores), ${+(gangNodes.memoryBytes / GiB).toFixed(3)} GiB each`,
    );
    notes.push(
      `rigid parallel jobs: each job of P processors (field 5) is a gang of P one-processor tasks (requested memory per processor each, field 10), ` +
        `placed all-or-nothing across the nodes; ${plural(cols.length, 'task')} from ${plural(rows, 'job line')}` +
        (withoutProcs > 0 ? `; ${plural(withoutProcs, 'job')} without a processor count stay single tasks (CPU request NaN)` : ''),
    );
    if (widerThanCluster > 0) {
      notes.push(`warning: ${plural(widerThanCluster, 'job')} need more processors than the ${(perNode * count).toLocaleString('en-US')} the nodes have: they never start`);
    }
  } else if (machinesOpt === undefined) {
    const procs = headerProcs ?? maxProcsSeen;
    const headerMem = header.maxMemory !== undefined ? header.maxMemory * 1024 * procs : NaN;
    if (headerMem < maxMemSeen) {
      const at = header.at.MaxMemory;
      notes.push(
        `warning: ${displayPath(at.file)} line ${at.line}: SWF header MaxMemory × processors (${+(headerMem / GiB).toFixed(3)} GiB) is less than the largest ` +
          `memory request (${+(maxMemSeen / GiB).toFixed(3)} GiB); the header is not used`,
      );
    }
    const memFromHeader = headerMem >= maxMemSeen;
    const memBytes = memFromHeader ? headerMem : Math.max(maxMemSeen, GiB);
    machinesOpt = { count: 1, capacity: { cpuMillicores: Math.max(procs, 1) * mcpp, memoryBytes: memBytes } };
    notes.push(
      describePool(
        machinesOpt,
        `SWF has no machine table: one pool of ${headerProcs !== undefined ? `MaxProcs = ${procs.toLocaleString('en-US')}` : `${procs.toLocaleString('en-US')} processors (the widest job; no usable MaxProcs header)`} processors, ` +
          `memory ${memFromHeader ? 'MaxMemory × MaxProcs' : 'the largest total memory request (at least 1 GiB)'}`,
      ),
    );
  } else notes.push(describePool(machinesOpt, 'SWF has no machine table'));
  if (gangNodes === undefined) {
    machines = machinePool(machinesOpt!, 'swf');
    notes.push(
      'rigid parallel jobs: read as one task per job on one pool of processors (the single-pool reading: a job starts when its processors are free anywhere in the pool); ' +
        'give --nodes and --instance to place each job as a gang of one-processor tasks across nodes',
    );
  }
  notes.push('priority: SWF has none, every task gets 0; wait times are the recorded scheduler’s and are not replayed');
  notes.push(
    `missing values (-1): ${plural(missingRun, 'job')} without run time (duration NaN), ${plural(missingProcs, 'job')} without processors (CPU request NaN), ` +
      `${plural(missingMem, 'job')} without requested memory (memory request NaN)`,
  );
  notes.push(
    `usage: ${plural(usageKnown, 'job')} with average CPU time or used memory (usage = CPU time / run time, used / requested memory; ` +
      `no time series, so its variation is taken as 0); the others have unknown usage (NaN)`,
  );
  if (cancelledQueued > 0) {
    notes.push(
      `${plural(cancelledQueued, 'job')} cancelled while queued (status 5 with wait time -1 or no run time): killed while pending, never started; ` +
        'killTime = submit + wait time, else submit + run time, else submit',
    );
  }
  if (withDependency > 0) notes.push(`${plural(withDependency, 'job')} with a preceding job (fields 17–18): dependencies are not enforced by the replay`);
  // An excerpt cut from the middle of a log starts at its first job (reader-kit/window-start.ts);
  // SWF lines are whole jobs (submit, wait, run), so no job already running is hidden.
  const excerpt = firstSubmit > 0 && firstSubmit !== Infinity;
  if (excerpt) {
    notes.push(
      `window: the first job is submitted at ${firstSubmit.toLocaleString('en-US')} s, not 0 (the SWF definition starts a log at 0): an excerpt, replayed from its first job`,
    );
  }
  if (outOfOrder > 0) notes.push(`${plural(outOfOrder, 'job line')} out of submit order (sorted by submit time)`);
  bad.report(badRows, notes);
  const stats: SourceStats = { rowsRead: rows, files: files.length, eventCounts: events, badRows };
  const batchSize = options.batchSize ?? 65_536;
  return {
    name: `swf:${input}`,
    resources: SWF_RESOURCES,
    machines,
    machineEvents: [],
    jobs: jobs.list,
    users: users.list.map((u) => `user ${u}`),
    taskBatches: async function* () {
      for (const b of cols.batches(batchSize)) {
        if (gangNodes !== undefined) {
          // Gang = the job (one gang per job line); size = its processors.
          b.gang = new Int32Array(b.count);
          b.gangSize = new Int32Array(b.count);
          for (let i = 0; i < b.count; i++) {
            const p = gangSize[b.job[i]] ?? 0;
            b.gang[i] = p > 0 ? b.job[i] : -1;
            b.gangSize[i] = p;
          }
        }
        yield b;
      }
    },
    notes,
    sourceStats: stats,
    expectedTasks: cols.length,
    priorityScale: 'kubernetes', // SWF has no priority (all 0): read as "none given", the mid band, not Borg's free band
    horizon: lastEnd > 0 ? Math.max(lastEnd, lastSubmit) * 1e6 : undefined,
    ...(excerpt ? { start: firstSubmit * 1e6 } : {}),
  };
}

/**
 * The row parsers report 0-based column indices; SWF numbers its fields from 1, so messages say
 * "field 4 (run time)" for index 3.
 */
function renumberField(e: unknown): unknown {
  if (!(e instanceof InputError) || e.column === undefined) return e;
  return new InputError({
    file: e.file,
    line: e.line,
    field: `field ${swfFieldNumber(e.column)}, ${e.field ?? SWF_FIELDS[e.column]}`,
    expected: e.expected,
    got: e.got,
    reason: e.reason,
  });
}
