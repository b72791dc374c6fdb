import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { DuckDBInstance } from '@duckdb/node-api';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { writeResultsFolder } from '../reports/results-folder.js';
import { EVENTS_COLUMNS, TIMESERIES_COLUMNS, tasksColumns, type ColumnSpec, type SchemaFile } from '../reports/parquet/data-dictionary.js';
import { EVENTS_CSV_HEADER } from '../reports/events-csv.js';
import type { ResourceSchema } from '../model/resources.js';

/** A small synthetic replay with memory overcommit, so tasks, timeseries and events all have rows and empty cells. */
const SPEC: ReplaySpec = {
  workload: 'synthetic', policy: 'kube-default', seed: 11, nodes: 8, tasks: 1500, hours: 2, instance: 'm5.2xlarge',
  dynamics: { enabled: true, overcommit: 'memory=1.5' },
};
/** Nothing but placement: no node dynamics and no reactions (so no events, no availability). */
const NO_DYNAMICS: ReplaySpec = { ...SPEC, dynamics: { enabled: false }, reactions: { preemption: 'none', controllers: false } };

let root: string;
let dir: string;
let plain: string;

async function writeFolder(spec: ReplaySpec, out: string): Promise<ResourceSchema> {
  const o = await runSpec(spec);
  await writeResultsFolder(out, { schedlab: 'test', command: 'replay', seed: spec.seed, config: { ...spec }, workloadNotes: o.workload.notes, summary: o.summary }, o.result, o.workload.jobs, {});
  return o.workload.resources;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'schedlab-roundtrip-'));
  dir = join(root, 'dyn');
  plain = join(root, 'plain');
  await writeFolder(SPEC, dir);
  await writeFolder(NO_DYNAMICS, plain);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The CSV as text cells, parsed independently of schedlab's writer. */
function csv(path: string): { header: string[]; rows: string[][] } {
  const all = parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
  return { header: all[0], rows: all.slice(1) };
}

function parquetTable(path: string): Table {
  return tableFromIPC(readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
}

const ARROW_NAME = { int32: 'Int32', float64: 'Float64', string: 'Utf8' } as const;

/** Every cell of the Parquet file equals the CSV's: empty ↔ null, numbers parse to the same double, text the same. */
function expectSameTable(name: string, columns: readonly ColumnSpec[], folder: string): number {
  const c = csv(join(folder, `${name}.csv`));
  const t = parquetTable(join(folder, `${name}.parquet`));
  expect(c.header).toEqual(columns.map((s) => s.name));
  expect(t.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(columns.map((s) => [s.name, ARROW_NAME[s.type], s.nullable]));
  expect(t.numRows).toBe(c.rows.length);
  const mismatches: string[] = [];
  columns.forEach((spec, j) => {
    const v = t.getChildAt(j)!;
    for (let i = 0; i < c.rows.length; i++) {
      const cell = c.rows[i][j];
      const got = v.get(i) as number | string | null;
      const want = cell === '' ? null : spec.type === 'string' ? cell : Number(cell);
      if (got !== want && mismatches.length < 5) mismatches.push(`${name} row ${i + 1} ${spec.name}: csv '${cell}', parquet ${String(got)}`);
    }
    if (!spec.nullable) expect(v.nullCount, `${name}.${spec.name} has nulls`).toBe(0);
  });
  expect(mismatches).toEqual([]);
  return c.rows.length;
}

describe('results folder: Parquet beside every CSV, schema.json the dictionary', () => {
  it('writes NAME.parquet for tasks, timeseries and events, and schema.json', () => {
    for (const f of ['tasks', 'timeseries', 'events']) expect(existsSync(join(dir, `${f}.parquet`)), f).toBe(true);
    expect(existsSync(join(plain, 'events.parquet'))).toBe(false);
    expect(existsSync(join(dir, 'schema.json'))).toBe(true);
  });

  it('every cell of each Parquet table equals the CSV (apache-arrow read-back), with the dictionary types', () => {
    const o = { names: ['cpu', 'memory', 'gpu'], units: ['millicores', 'bytes', 'milli-gpu'] };
    const tasks = expectSameTable('tasks', tasksColumns(o, true), dir);
    const series = expectSameTable('timeseries', TIMESERIES_COLUMNS, dir);
    const events = expectSameTable('events', EVENTS_COLUMNS, dir);
    expect(tasks).toBe(1500);
    expect(series).toBeGreaterThan(0);
    expect(events).toBeGreaterThan(0);
    expectSameTable('tasks', tasksColumns(o, false), plain);
  });

  it('the data dictionary names the CSV writers\' columns: events.csv header, and nullable columns hold the CSV\'s empty cells', () => {
    expect(EVENTS_COLUMNS.map((c) => c.name)).toEqual([...EVENTS_CSV_HEADER]);
    // A column whose CSV has empty cells must be nullable (the reverse need not hold).
    for (const [name, cols] of [['tasks', tasksColumns({ names: ['cpu', 'memory', 'gpu'], units: ['millicores', 'bytes', 'milli-gpu'] }, true)], ['events', EVENTS_COLUMNS], ['timeseries', TIMESERIES_COLUMNS]] as const) {
      const c = csv(join(dir, `${name}.csv`));
      cols.forEach((spec, j) => {
        if (c.rows.some((r) => r[j] === '')) expect(spec.nullable, `${name}.${spec.name}`).toBe(true);
      });
    }
  });

  it('schema.json lists each table with its files, row count and the dictionary columns (type, unit, meaning)', () => {
    const s = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')) as SchemaFile;
    // availability: the controllers (on by default) list every workload of this small run.
    expect(Object.keys(s.tables)).toEqual(['tasks', 'timeseries', 'events', 'availability']);
    for (const [name, t] of Object.entries(s.tables)) {
      expect(t!.files).toEqual([`${name}.csv`, `${name}.parquet`]);
      expect(t!.rows).toBe(csv(join(dir, `${name}.csv`)).rows.length);
      expect(t!.columns.map((c) => c.name)).toEqual(csv(join(dir, `${name}.csv`)).header);
      for (const c of t!.columns) {
        expect(['int32', 'float64', 'string']).toContain(c.type);
        expect(c.meaning.length).toBeGreaterThan(5);
        if (c.type !== 'string' && !/_id$|^task_index$|^priority$/.test(c.name)) expect(c.unit, `${name}.${c.name} unit`).not.toBe('');
      }
    }
    expect(s.tables.tasks!.columns.find((c) => c.name === 'request_memory_bytes')!.unit).toBe('bytes');
    const p = JSON.parse(readFileSync(join(plain, 'schema.json'), 'utf8')) as SchemaFile;
    expect(Object.keys(p.tables)).toEqual(['tasks', 'timeseries']);
    expect(p.tables.tasks!.columns.some((c) => c.name === 'evictions')).toBe(false);
  });

  it('DuckDB reads the Parquet files: count(*) and column sums equal the CSV\'s', async () => {
    await expectDuckDbAgrees(dir, [
      ['tasks', ['task_id', 'submit_s', 'start_s', 'request_memory_bytes', 'attempts', 'oom_kills', 'throttled_cpu_seconds']],
      ['timeseries', ['time_s', 'value']],
      ['events', ['time_s', 'task_id', 'memory_bytes', 'amount']],
    ]);
  });
});

/** DuckDB on each table's Parquet file: count(*), and per column the non-null count and the sum, against the CSV parsed here; DuckDB on the CSV agrees on the row count. */
async function expectDuckDbAgrees(folder: string, checks: Array<[string, string[]]>): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const [name, cols] of checks) {
      const file = join(folder, `${name}.parquet`).replace(/'/g, "''");
      const sql = `SELECT count(*)::DOUBLE AS n, ${cols.map((c) => `sum(${c})::DOUBLE AS "${c}", count(${c})::DOUBLE AS "n_${c}"`).join(', ')} FROM read_parquet('${file}')`;
      const got = (await conn.runAndReadAll(sql)).getRowObjectsJson()[0] as Record<string, number>;
      const c = csv(join(folder, `${name}.csv`));
      expect(got.n, `${name} rows`).toBe(c.rows.length);
      for (const col of cols) {
        const j = c.header.indexOf(col);
        expect(j, `${name}.${col} in the CSV`).toBeGreaterThanOrEqual(0);
        const cells = c.rows.map((r) => r[j]).filter((v) => v !== '');
        const sum = cells.reduce((s, v) => s + Number(v), 0);
        expect(got[`n_${col}`], `${name}.${col} non-null count`).toBe(cells.length);
        // Sums of doubles in another order: equal up to rounding.
        expect(Math.abs((got[col] ?? 0) - sum), `${name}.${col} sum`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum)));
      }
      const csvFile = join(folder, `${name}.csv`).replace(/'/g, "''");
      const n = (await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM read_csv_auto('${csvFile}')`)).getRowObjectsJson()[0] as Record<string, number>;
      expect(n.n).toBe(c.rows.length);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const OPENB = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared', 'data', 'alibaba-openb-2023');
const HAVE_OPENB = existsSync(join(OPENB, 'openb_pod_list_default.csv'));
if (!HAVE_OPENB) console.warn(`parquet-roundtrip: ${OPENB} not found; skipping the real-trace round trip`);

describe.skipIf(!HAVE_OPENB)('results folder of a real trace (Alibaba openb 2023, GPU sharing): Parquet equals CSV', () => {
  let out: string;
  let resources: ResourceSchema;
  beforeAll(async () => {
    out = join(root, 'openb');
    resources = await writeFolder({ workload: OPENB, policy: 'kube-default', seed: 1, nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge', dynamics: { enabled: true } }, out);
  }, 240_000);

  it('every cell of tasks, timeseries and events (apache-arrow read-back), and DuckDB counts and sums', async () => {
    expect(resources.names).toContain('gpu');
    const tasks = expectSameTable('tasks', tasksColumns(resources, true), out);
    expect(tasks).toBeGreaterThan(1000);
    expectSameTable('timeseries', TIMESERIES_COLUMNS, out);
    if (existsSync(join(out, 'events.csv'))) expectSameTable('events', EVENTS_COLUMNS, out);
    const gpu = `request_gpu_${resources.units[resources.names.indexOf('gpu')].replace(/-/g, '_')}`;
    await expectDuckDbAgrees(out, [['tasks', ['task_id', 'submit_s', 'start_s', 'end_s', gpu, 'request_cpu_' + resources.units[resources.names.indexOf('cpu')].replace(/-/g, '_')]], ['timeseries', ['time_s', 'value']]]);
  }, 120_000);
});
