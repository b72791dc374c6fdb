import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROOT, schedlab } from './helpers/cli.js';
import { systemBinary } from './helpers/system-binary.js';

/**
 * Executes examples/analysis.ipynb headless with Debian's Python (nbconvert → nbclient →
 * ipykernel) on a results folder `schedlab replay --out` writes, and checks what it printed
 * against the CSVs, read here independently.
 */
const PYTHON = '/usr/bin/python3';
const MODULES = ['pandas', 'nbconvert', 'nbclient', 'ipykernel'];

function pythonReady(): boolean {
  if (systemBinary(PYTHON, 'the executed notebook test needs Python with pandas, nbclient, ipykernel, nbconvert') === null) return false;
  const r = spawnSync(PYTHON, ['-c', `import ${MODULES.join(', ')}`], { encoding: 'utf8' });
  if (r.status === 0) return true;
  const why = `${PYTHON} lacks one of ${MODULES.join(', ')} (Debian: python3-pandas python3-nbclient python3-ipykernel jupyter-nbconvert): ${r.stderr.trim().split('\n').pop()}`;
  if (process.env.SCHEDLAB_REQUIRE_SYSTEM === '1') throw new Error(`${why}, and SCHEDLAB_REQUIRE_SYSTEM=1 requires them`);
  console.warn(`skipped: ${why}`);
  return false;
}

interface Output { output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]>; ename?: string; evalue?: string }
const joined = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join('') : (v ?? ''));

const ready = pythonReady();
let dir: string;
let outputs: Output[] = [];
let printed = '';

function csvRows(file: string): { header: string[]; rows: string[][] } {
  const all = parse(readFileSync(join(dir, 'res', file), 'utf8')) as string[][];
  return { header: all[0], rows: all.slice(1) };
}

describe.skipIf(!ready)('examples/analysis.ipynb, executed headless', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schedlab-notebook-'));
    const res = join(dir, 'res');
    const r = schedlab(['replay', '--nodes', '8', '--tasks', '1500', '--hours', '2', '--seed', '11', '--overcommit', 'memory=1.5', '--quiet', '--out', res]);
    expect(r.code, r.stderr).toBe(0);
    const x = spawnSync(
      PYTHON,
      ['-m', 'nbconvert', '--to', 'notebook', '--execute', join(ROOT, 'examples', 'analysis.ipynb'), '--output-dir', dir, '--output', 'executed', '--ExecutePreprocessor.timeout=120'],
      { encoding: 'utf8', env: { ...process.env, SCHEDLAB_RESULTS: res, PYDEVD_DISABLE_FILE_VALIDATION: '1' }, timeout: 180_000 },
    );
    expect(x.status, x.stderr).toBe(0);
    const nb = JSON.parse(readFileSync(join(dir, 'executed.ipynb'), 'utf8')) as { cells: Array<{ cell_type: string; outputs?: Output[] }> };
    outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    printed = outputs.filter((o) => o.output_type === 'stream').map((o) => joined(o.text)).join('');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every cell ran without an error', () => {
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`)).toEqual([]);
  });

  it('loaded every table: its row counts are the CSVs\'', () => {
    expect(printed).toContain(`tasks: ${csvRows('tasks.csv').rows.length}\n`);
    expect(printed).toContain(`timeseries rows: ${csvRows('timeseries.csv').rows.length}\n`);
    const events = csvRows('events.csv').rows.length;
    expect(events).toBeGreaterThan(0);
    expect(printed).toContain(`events: ${events}\n`);
  });

  it('the key figure: mean requested and used fraction per resource, as computed from timeseries.csv', () => {
    const { rows } = csvRows('timeseries.csv');
    for (const resource of ['cpu', 'memory']) {
      const mean = (metric: string) => {
        const v = rows.filter((r) => r[1] === metric && r[2] === resource).map((r) => Number(r[3]));
        return v.reduce((a, b) => a + b, 0) / v.length;
      };
      const line = new RegExp(`mean ${resource} requested: ([0-9.]+) used: ([0-9.]+)`).exec(printed);
      expect(line, `no utilization line for ${resource}`).not.toBeNull();
      expect(Number(line![1])).toBeCloseTo(mean('requested_fraction'), 6);
      expect(Number(line![2])).toBeCloseTo(mean('used_fraction'), 6);
      expect(mean('requested_fraction')).toBeGreaterThan(0);
    }
  });

  it('draws the figure: a matplotlib image when matplotlib is installed, else the hourly table of both metrics per resource', () => {
    const displays = outputs.filter((o) => o.output_type === 'display_data');
    if (printed.includes('figure: matplotlib')) {
      expect(displays.some((o) => o.data?.['image/png'] !== undefined)).toBe(true);
      return;
    }
    expect(printed).toContain('figure: table (matplotlib is not installed)');
    const table = displays.map((o) => joined(o.data?.['text/plain'])).find((t) => t.includes('requested_fraction'));
    expect(table, 'the hourly table').toBeDefined();
    for (const word of ['cpu', 'memory', 'requested_fraction', 'used_fraction', 'hour']) expect(table).toContain(word);
    // One row per hour of the 2-hour replay (hours 0, 1 and the end sample at 2).
    const hours = new Set(csvRows('timeseries.csv').rows.map((r) => Math.floor(Number(r[0]) / 3600)));
    const rowsShown = table!.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => Number(l.split(/\s+/)[0]));
    expect(rowsShown).toEqual([...hours].sort((a, b) => a - b));
  });

  it('reports scheduling delay quantiles and statuses, and shows the Parquet file through an engine or says there is none', () => {
    expect(printed).toMatch(/scheduling delay \(s\): p50=[0-9.]+, p90=[0-9.]+, p99=[0-9.]+/);
    const tasks = csvRows('tasks.csv');
    const finished = tasks.rows.filter((r) => r[tasks.header.indexOf('status')] === 'finished').length;
    expect(printed).toMatch(new RegExp(`finished\\s+${finished}\\n`));
    const viaEngine = /tasks\.parquet through (DuckDB|pandas): (\d+) rows/.exec(printed);
    if (viaEngine) expect(Number(viaEngine[2])).toBe(tasks.rows.length);
    else expect(printed).toContain('tasks.parquet: no Parquet engine here');
  });
});
