import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import { InputError } from '../../model/errors.js';
import { listInputFiles, readChunks } from '../gzip-lines.js';
import { isEndOfTime, parseFloatAt, parseIntAt, StringTable, textAt } from './fields.js';
import { MAX_PRIORITY, MAX_SCHEDULING_CLASS, MAX_TASK_INDEX, TASK_EVENT_COLUMNS } from './schema.js';

/**
 * The hot path: Google 2011 `task_events` rows parsed straight from decompressed Buffers into
 * reusable columns. No per-row objects or substrings: commas and newlines are found by byte value,
 * numbers are accumulated digit by digit, and the 44-character user hash is compared against the
 * previous row's before it is ever turned into a string.
 *
 * Strict by default: a wrong column count, a non-number, an unknown code, an impossible value
 * (negative or > 1 normalized request, priority outside 0–11, ...) or a time earlier than the
 * previous row's (parts are time-ordered, also across files) throws an InputError naming file,
 * line and column. With `onBadRow: 'skip'` such rows are dropped and counted by reason.
 */

/** Job IDs → dense ordinals in first-seen order (IDs are int64 < 2^53 in practice; checked). */
export class JobTable {
  readonly ids: number[] = [];
  private readonly index = new Map<number, number>();

  intern(id: number): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * A columnar block of parsed rows. The parser reuses one instance: its contents are valid until the
 * next `push`/`end` call. Missing values: NaN for floats and machine ID, -1 for small codes.
 */
export class TaskEventBatch {
  /** Rows in this block. */
  count = 0;
  capacity: number;
  /** The file these rows come from. */
  file = '';
  /** 1-based line numbers within `file`. */
  line: Int32Array;
  /** µs; +Infinity for 2^63-1 ("after the end of the window"). */
  time: Float64Array;
  /** -1 empty (normal record), else 0–2. */
  missingInfo: Int8Array;
  jobId: Float64Array;
  /** Dense job ordinal from the parser's JobTable. */
  job: Int32Array;
  taskIndex: Int32Array;
  /** NaN when the task is not on a machine. */
  machineId: Float64Array;
  eventType: Uint8Array;
  /** Index into the parser's user StringTable; -1 missing. */
  user: Int32Array;
  /** -1 missing, else 0–3. */
  schedulingClass: Int8Array;
  priority: Int8Array;
  /** Normalized requests; NaN missing. */
  cpuRequest: Float64Array;
  memoryRequest: Float64Array;
  diskRequest: Float64Array;
  /** -1 missing, 0 or 1. */
  differentMachines: Int8Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.line = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.missingInfo = new Int8Array(capacity);
    this.jobId = new Float64Array(capacity);
    this.job = new Int32Array(capacity);
    this.taskIndex = new Int32Array(capacity);
    this.machineId = new Float64Array(capacity);
    this.eventType = new Uint8Array(capacity);
    this.user = new Int32Array(capacity);
    this.schedulingClass = new Int8Array(capacity);
    this.priority = new Int8Array(capacity);
    this.cpuRequest = new Float64Array(capacity);
    this.memoryRequest = new Float64Array(capacity);
    this.diskRequest = new Float64Array(capacity);
    this.differentMachines = new Int8Array(capacity);
  }

  /** Doubles the capacity, keeping the first `count` rows. */
  grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends { length: number; set(a: T): void }>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.line = g(this.line, (n) => new Int32Array(n));
    this.time = g(this.time, (n) => new Float64Array(n));
    this.missingInfo = g(this.missingInfo, (n) => new Int8Array(n));
    this.jobId = g(this.jobId, (n) => new Float64Array(n));
    this.job = g(this.job, (n) => new Int32Array(n));
    this.taskIndex = g(this.taskIndex, (n) => new Int32Array(n));
    this.machineId = g(this.machineId, (n) => new Float64Array(n));
    this.eventType = g(this.eventType, (n) => new Uint8Array(n));
    this.user = g(this.user, (n) => new Int32Array(n));
    this.schedulingClass = g(this.schedulingClass, (n) => new Int8Array(n));
    this.priority = g(this.priority, (n) => new Int8Array(n));
    this.cpuRequest = g(this.cpuRequest, (n) => new Float64Array(n));
    this.memoryRequest = g(this.memoryRequest, (n) => new Float64Array(n));
    this.diskRequest = g(this.diskRequest, (n) => new Float64Array(n));
    this.differentMachines = g(this.differentMachines, (n) => new Int8Array(n));
    this.capacity = cap;
  }
}

export interface TaskEventParserOptions {
  /** 'fail' (default) throws on the first bad row; 'skip' drops and counts bad rows. */
  onBadRow?: OnBadRow;
  /** Share intern tables between passes so job/user indexes stay stable. */
  users?: StringTable;
  jobs?: JobTable;
  /** Where skipped rows are counted (a fresh tally by default). */
  badRows?: BadRowTally;
  /** Parse every row with the field-by-field strict path only (for tests and debugging). */
  strictOnly?: boolean;
}

const NCOL = 13;

/** Exact powers of ten 10^0 … 10^22. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Where the last scanDecimal stopped. */
let scanEnd = 0;

/**
 * fastLine's decimal reader: "d+[.d*][e[-+]d{1,3}]" from p, stopping at the first other byte (its
 * index goes to scanEnd). NaN for anything else or more than 15 digits, so that the caller falls
 * back to the strict path. Same exact-rounding argument as parseFloatAt.
 */
function scanDecimal(buf: Uint8Array, p: number, e: number): number {
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let c = buf[p];
  while (p < e && c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    digits++;
    c = buf[++p];
  }
  if (c === 46 && p < e) {
    c = buf[++p];
    while (p < e && c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      frac++;
      c = buf[++p];
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  let exp = 0;
  if ((c === 101 || c === 69) && p < e) {
    c = buf[++p];
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = buf[++p];
    }
    let ed = 0;
    while (p < e && c >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      ed++;
      c = buf[++p];
    }
    if (ed === 0 || ed > 3) return NaN;
    if (neg) exp = -exp;
  }
  scanEnd = p;
  const q = exp - frac;
  if (q === 0) return mant;
  if (q < 0 && q >= -22) return mant / POW10[-q];
  if (q > 0 && q <= 22) return mant * POW10[q];
  return NaN;
}

export class TaskEventParser {
  readonly batch = new TaskEventBatch(8192);
  readonly users: StringTable;
  readonly jobs: JobTable;
  readonly badRows: BadRowTally;
  readonly onBadRow: OnBadRow;
  private readonly strictOnly: boolean;
  /** Rows accepted so far (all files). */
  rows = 0;
  /** Lines seen so far, good or bad (all files). */
  lines = 0;
  /** Decompressed bytes seen so far. */
  bytes = 0;
  /** Time of the last accepted row; rows must not go below it. */
  lastTime = -Infinity;
  /** Line number within the current file. */
  line = 0;
  file = '';

  private carry: Buffer | null = null;
  private readonly bounds = new Int32Array(NCOL + 1);
  private lastUser = Buffer.alloc(128);
  private lastUserLen = -1;
  private lastUserIndex = -1;
  private lastJobId = NaN;
  private lastJobOrdinal = -1;

  constructor(options: TaskEventParserOptions = {}) {
    this.onBadRow = options.onBadRow ?? 'fail';
    this.users = options.users ?? new StringTable();
    this.jobs = options.jobs ?? new JobTable();
    this.badRows = options.badRows ?? new BadRowTally();
    this.strictOnly = options.strictOnly ?? false;
  }

  /** Starts a new file: line numbers restart, the time order carries on from the previous file. */
  beginFile(file: string): void {
    this.file = file;
    this.line = 0;
    this.carry = null;
  }

  /** Parses every complete line in `chunk` (plus the partial line left by the previous chunk). */
  push(chunk: Buffer): TaskEventBatch {
    const out = this.batch;
    out.count = 0;
    out.file = this.file;
    this.bytes += chunk.length;
    let pos = 0;
    const len = chunk.length;
    if (this.carry !== null) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return out;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = null;
      this.line++;
      this.parseLine(joined, 0, joined.length);
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      this.line++;
      this.parseLine(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < len) this.carry = Buffer.from(chunk.subarray(pos));
    return out;
  }

  /** Ends the current file, parsing a last line that had no newline. */
  end(): TaskEventBatch {
    const out = this.batch;
    out.count = 0;
    out.file = this.file;
    if (this.carry !== null) {
      const c = this.carry;
      this.carry = null;
      this.line++;
      this.parseLine(c, 0, c.length);
    }
    return out;
  }

  private reject(err: InputError): void {
    if (this.onBadRow === 'fail') throw err;
    this.badRows.add(err);
  }

  private bad(buf: Uint8Array, col: number, s: number, e: number, expected: string, kind: string): void {
    const field = TASK_EVENT_COLUMNS[col];
    this.reject(
      new InputError({
        file: this.file,
        line: this.line,
        column: col,
        field,
        expected,
        got: textAt(buf, s, e),
        reason: `${field}: ${kind}`,
      }),
    );
  }

  /** A small optional integer code in [0, max]: -1 when empty, -2 after reporting a bad value. */
  private code(buf: Uint8Array, col: number, s: number, e: number, max: number, mandatory: boolean): number {
    if (s === e) {
      if (!mandatory) return -1;
      this.bad(buf, col, s, e, `an integer 0–${max}`, 'missing');
      return -2;
    }
    if (e - s === 1) {
      const d = buf[s] - 48;
      if (d >= 0 && d <= max) return d;
    }
    const v = parseIntAt(buf, s, e);
    if (v !== v) this.bad(buf, col, s, e, `an integer 0–${max}`, 'not an integer');
    else if (v >= 0 && v <= max) return v;
    else this.bad(buf, col, s, e, `an integer 0–${max}`, col === 5 ? 'unknown code' : 'out of range');
    return -2;
  }

  /** A non-negative integer ID (< 2^53): NaN when empty, -2 after reporting a bad value. */
  private id(buf: Uint8Array, col: number, s: number, e: number, mandatory: boolean, max: number): number {
    if (s === e) {
      if (!mandatory) return NaN;
      this.bad(buf, col, s, e, 'an integer ID', 'missing');
      return -2;
    }
    const v = parseIntAt(buf, s, e);
    if (v >= 0 && v <= max) return v;
    if (v !== v) this.bad(buf, col, s, e, 'an integer ID', 'not an integer');
    else this.bad(buf, col, s, e, `an integer 0–${max}`, 'out of range');
    return -2;
  }

  /** A normalized request in [0, 1]: NaN when empty, -2 after reporting a bad value. */
  private request(buf: Uint8Array, col: number, s: number, e: number): number {
    if (s === e) return NaN;
    const v = parseFloatAt(buf, s, e);
    if (v >= 0 && v <= 1) return v;
    if (v !== v) this.bad(buf, col, s, e, 'a number', 'not a number');
    else this.bad(buf, col, s, e, 'a normalized request in [0, 1]', 'out of range');
    return -2;
  }

  private parseLine(buf: Buffer, s: number, e: number): void {
    this.lines++;
    if (e > s && buf[e - 1] === 13) e--;
    if (this.strictOnly || !this.fastLine(buf, s, e)) this.strictLine(buf, s, e);
  }

  /** The user index for buf[us, ue): the previous row's when the bytes match, else interned. */
  private userIndex(buf: Buffer, us: number, ue: number): number {
    if (ue === us) return -1;
    const ulen = ue - us;
    const last = this.lastUser;
    if (ulen === this.lastUserLen) {
      let i = 0;
      while (i < ulen && buf[us + i] === last[i]) i++;
      if (i === ulen) return this.lastUserIndex;
    }
    const user = this.users.id(buf.toString('latin1', us, ue));
    if (ulen <= last.length) {
      buf.copy(last, 0, us, ue);
      this.lastUserLen = ulen;
      this.lastUserIndex = user;
    }
    return user;
  }

  /**
   * The common case in one pass over the bytes: plain digits, one-digit codes, decimals, the user
   * hash compared in place with the previous row's. Returns false, having changed nothing, at the
   * first thing it does not expect (including every error and rare valid forms such as the
   * 2^63-1 time or a negative sign); strictLine then parses the row again and reports precisely.
   */
  private fastLine(buf: Buffer, s: number, e: number): boolean {
    let p = s;
    let c = 0;
    // 0 time
    let time = 0;
    while (p < e && (c = buf[p]) !== 44) {
      c -= 48;
      if (c < 0 || c > 9) return false;
      time = time * 10 + c;
      p++;
    }
    if (p === s || p - s > 15 || p >= e || time < this.lastTime) return false;
    p++;
    // 1 missing info: empty or 0–2
    let missingInfo = -1;
    if (buf[p] !== 44) {
      missingInfo = buf[p] - 48;
      if (!(missingInfo >= 0 && missingInfo <= 2) || buf[p + 1] !== 44) return false;
      p++;
    }
    p++;
    // 2 job ID
    let jobId = 0;
    let st = p;
    while (p < e && (c = buf[p]) !== 44) {
      c -= 48;
      if (c < 0 || c > 9) return false;
      jobId = jobId * 10 + c;
      p++;
    }
    if (p === st || p - st > 15 || p >= e) return false;
    p++;
    // 3 task index
    let taskIndex = 0;
    st = p;
    while (p < e && (c = buf[p]) !== 44) {
      c -= 48;
      if (c < 0 || c > 9) return false;
      taskIndex = taskIndex * 10 + c;
      p++;
    }
    if (p === st || p - st > 7 || p >= e || taskIndex > MAX_TASK_INDEX) return false;
    p++;
    // 4 machine ID (optional)
    let machineId = NaN;
    st = p;
    if (buf[p] !== 44) {
      machineId = 0;
      while (p < e && (c = buf[p]) !== 44) {
        c -= 48;
        if (c < 0 || c > 9) return false;
        machineId = machineId * 10 + c;
        p++;
      }
      if (p - st > 15 || p >= e) return false;
    }
    p++;
    // 5 event type: one digit 0–8
    const eventType = buf[p] - 48;
    if (!(eventType >= 0 && eventType <= 8) || buf[p + 1] !== 44) return false;
    p += 2;
    // 6 user: compared with the previous row's in place
    let user = -1;
    const us = p;
    let ue = p;
    const ulen = this.lastUserLen;
    if (buf[p] !== 44) {
      let i = 0;
      if (ulen > 0 && p + ulen < e) {
        const last = this.lastUser;
        while (i < ulen && buf[p + i] === last[i]) i++;
      }
      if (i === ulen && buf[p + ulen] === 44) {
        user = this.lastUserIndex;
        p += ulen;
      } else {
        while (p < e && buf[p] !== 44) p++;
        if (p >= e) return false;
        ue = p;
        user = -2; // interned on commit
      }
    }
    p++;
    // 7 scheduling class: empty or 0–3
    let schedulingClass = -1;
    if (buf[p] !== 44) {
      schedulingClass = buf[p] - 48;
      if (!(schedulingClass >= 0 && schedulingClass <= MAX_SCHEDULING_CLASS) || buf[p + 1] !== 44) return false;
      p++;
    }
    p++;
    // 8 priority: 0–11
    let priority = buf[p] - 48;
    if (!(priority >= 0 && priority <= 9)) return false;
    p++;
    if (buf[p] !== 44) {
      c = buf[p] - 48;
      if (!(c >= 0 && c <= 9)) return false;
      priority = priority * 10 + c;
      if (priority > MAX_PRIORITY || buf[p + 1] !== 44) return false;
      p++;
    }
    p++;
    // 9–11 requests in [0, 1] (optional)
    let cpu = NaN;
    if (buf[p] !== 44) {
      cpu = scanDecimal(buf, p, e);
      p = scanEnd;
      if (!(cpu <= 1) || buf[p] !== 44) return false;
    }
    p++;
    let mem = NaN;
    if (buf[p] !== 44) {
      mem = scanDecimal(buf, p, e);
      p = scanEnd;
      if (!(mem <= 1) || buf[p] !== 44) return false;
    }
    p++;
    let disk = NaN;
    if (buf[p] !== 44) {
      disk = scanDecimal(buf, p, e);
      p = scanEnd;
      if (!(disk <= 1) || buf[p] !== 44) return false;
    }
    p++;
    // 12 different-machines restriction: empty, 0 or 1, then the end of the line
    let diff = -1;
    if (p < e) {
      diff = buf[p] - 48;
      if (!(diff === 0 || diff === 1) || p + 1 !== e) return false;
    } else if (p !== e) return false;

    if (user === -2) user = this.userIndex(buf, us, ue);
    this.commit(time, missingInfo, jobId, taskIndex, machineId, eventType, user, schedulingClass, priority, cpu, mem, disk, diff);
    return true;
  }

  private commit(
    time: number,
    missingInfo: number,
    jobId: number,
    taskIndex: number,
    machineId: number,
    eventType: number,
    user: number,
    schedulingClass: number,
    priority: number,
    cpu: number,
    mem: number,
    disk: number,
    diff: number,
  ): void {
    const out = this.batch;
    const k = out.count;
    if (k === out.capacity) out.grow();
    let job: number;
    if (jobId === this.lastJobId) job = this.lastJobOrdinal;
    else {
      job = this.jobs.intern(jobId);
      this.lastJobId = jobId;
      this.lastJobOrdinal = job;
    }
    out.line[k] = this.line;
    out.time[k] = time;
    out.missingInfo[k] = missingInfo;
    out.jobId[k] = jobId;
    out.job[k] = job;
    out.taskIndex[k] = taskIndex;
    out.machineId[k] = machineId;
    out.eventType[k] = eventType;
    out.user[k] = user;
    out.schedulingClass[k] = schedulingClass;
    out.priority[k] = priority;
    out.cpuRequest[k] = cpu;
    out.memoryRequest[k] = mem;
    out.diskRequest[k] = disk;
    out.differentMachines[k] = diff;
    out.count = k + 1;
    this.rows++;
    this.lastTime = time;
  }

  /** Field by field, every check spelled out: the path for rows fastLine declined. */
  private strictLine(buf: Buffer, s: number, e: number): void {
    const b = this.bounds;
    b[0] = s;
    let n = 0;
    for (let i = s; i < e; i++) {
      if (buf[i] === 44) {
        n++;
        if (n < NCOL) b[n] = i + 1;
      }
    }
    if (n !== NCOL - 1) {
      this.reject(
        new InputError({
          file: this.file,
          line: this.line,
          problem: s === e ? `expected ${NCOL} columns, got an empty line` : `expected ${NCOL} columns, got ${n + 1}`,
          reason: 'wrong column count',
        }),
      );
      return;
    }
    b[NCOL] = e + 1;

    // 0 time (mandatory, non-decreasing; 2^63-1 = after the window)
    let fs = s;
    let fe = b[1] - 1;
    if (fs === fe) return this.bad(buf, 0, fs, fe, 'a time in µs', 'missing');
    let time = parseIntAt(buf, fs, fe);
    if (!(time >= 0)) return this.bad(buf, 0, fs, fe, 'a time in µs (a non-negative integer)', 'not a time');
    if (time === Infinity && !isEndOfTime(buf, fs, fe)) {
      return this.bad(buf, 0, fs, fe, 'a time below 2^53 µs or exactly 2^63-1', 'out of range');
    }
    if (time < this.lastTime) {
      return this.bad(
        buf,
        0,
        fs,
        fe,
        `a time ≥ ${this.lastTime} (the previous row's; parts are time-ordered)`,
        'went backwards',
      );
    }
    // 1 missing info
    const missingInfo = this.code(buf, 1, b[1], b[2] - 1, 2, false);
    if (missingInfo === -2) return;
    // 2 job ID, 3 task index, 4 machine ID
    const jobId = this.id(buf, 2, b[2], b[3] - 1, true, Number.MAX_SAFE_INTEGER);
    if (jobId === -2) return;
    const taskIndex = this.id(buf, 3, b[3], b[4] - 1, true, MAX_TASK_INDEX);
    if (taskIndex === -2) return;
    const machineId = this.id(buf, 4, b[4], b[5] - 1, false, Number.MAX_SAFE_INTEGER);
    if (machineId === -2) return;
    // 5 event type
    const eventType = this.code(buf, 5, b[5], b[6] - 1, 8, true);
    if (eventType < 0) return;
    // 6 user (hash; only located here, interned on commit)
    const us = b[6];
    const ue = b[7] - 1;
    // 7 scheduling class, 8 priority
    const schedulingClass = this.code(buf, 7, b[7], b[8] - 1, MAX_SCHEDULING_CLASS, false);
    if (schedulingClass === -2) return;
    const priority = this.code(buf, 8, b[8], b[9] - 1, MAX_PRIORITY, true);
    if (priority < 0) return;
    // 9–11 requests
    const cpu = this.request(buf, 9, b[9], b[10] - 1);
    if (cpu === -2) return;
    const mem = this.request(buf, 10, b[10], b[11] - 1);
    if (mem === -2) return;
    const disk = this.request(buf, 11, b[11], b[12] - 1);
    if (disk === -2) return;
    // 12 different-machines restriction
    fs = b[12];
    fe = e;
    let diff = -1;
    if (fe > fs) {
      diff = fe - fs === 1 ? buf[fs] - 48 : -2;
      if (diff !== 0 && diff !== 1) return this.bad(buf, 12, fs, fe, '0 or 1', 'not 0 or 1');
    }

    this.commit(
      time,
      missingInfo,
      jobId,
      taskIndex,
      machineId,
      eventType,
      this.userIndex(buf, us, ue),
      schedulingClass,
      priority,
      cpu,
      mem,
      disk,
      diff,
    );
  }
}

/**
 * Streams parsed task_events blocks from a list of files, in order, through `parser` (which keeps
 * the counts, intern tables and bad-row tally). Each yielded batch is the parser's reused block:
 * consume it before pulling the next one.
 */
export async function* parseTaskEventFiles(
  files: string[],
  parser: TaskEventParser,
): AsyncGenerator<TaskEventBatch> {
  for (const file of files) {
    parser.beginFile(file);
    for await (const chunk of readChunks(file)) {
      const batch = parser.push(chunk);
      if (batch.count > 0) yield batch;
    }
    const last = parser.end();
    if (last.count > 0) yield last;
  }
}

/** parseTaskEventFiles over a table folder, a file, a glob or a file list. */
export async function parseTaskEvents(
  input: string | string[],
  parser: TaskEventParser,
): Promise<AsyncGenerator<TaskEventBatch>> {
  const files = Array.isArray(input) ? input : await listInputFiles(input);
  return parseTaskEventFiles(files, parser);
}
