import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compatibleVersion, readResultsFolder, runLabel } from '../reports/results-reader.js';
import { InputError, UsageError } from '../model/errors.js';
import { ROOT } from './helpers/cli.js';
import { readCsvColumns } from '../reports/csv-columns.js';
import { parse } from 'csv-parse/sync';

const FIX = join(ROOT, 'test', 'fixtures', 'results');
const root = mkdtempSync(join(tmpdir(), 'schedlab-results-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let k = 0;
/** A copy of a fixture folder to break. */
function copyOf(name: string): string {
  const d = join(root, `${name}-${k++}`);
  cpSync(join(FIX, name), d, { recursive: true });
  return d;
}

describe('readResultsFolder', () => {
  it('reads a run with node dynamics back into typed columns', () => {
    const r = readResultsFolder(join(FIX, 'first-fit'));
    expect(r.label).toBe('first-fit');
    expect(r.record.summary.cost.busyCost).toBeCloseTo(0.96, 9);
    expect(r.tasks.length).toBe(5);
    expect([...r.tasks.taskId]).toEqual([0, 1, 2, 3, 4]);
    expect([...r.tasks.submitS]).toEqual([0, 60, 600, 1200, 1800]);
    expect([...r.tasks.startS]).toEqual([0, 120, 900, NaN, 1800]);
    expect(r.tasks.status).toEqual(['finished', 'running', 'finished', 'pending', 'evicted']);
    expect(r.tasks.qos).toEqual(['Burstable', 'Burstable', 'Guaranteed', 'Guaranteed', 'BestEffort']);
    expect(r.tasks.node).toEqual(['node-0', 'node-1', 'node-0', null, null]);
    expect(Object.keys(r.tasks.requests).sort()).toEqual(['cpu_millicores', 'memory_bytes']);
    expect([...r.tasks.requests.cpu_millicores]).toEqual([1000, 1000, 2000, 2000, NaN]);
    expect([...r.tasks.limits.memory_bytes]).toEqual([NaN, NaN, 2147483648, 2147483648, NaN]);
    expect([...r.tasks.dynamics!.oomKills]).toEqual([0, 1, 0, 0, 0]);
    expect(r.tasks.pendingReason[3]).toBe('0/4 nodes are available: 4 Insufficient cpu.');
    expect(r.timeseries.length).toBe(24);
    expect(r.timeseries.metric[5]).toBe('nodes_busy');
    expect(r.timeseries.resource[5]).toBeNull();
    expect(r.timeseries.value[5]).toBe(1);
    expect(r.events!.length).toBe(5);
    expect(r.events!.cause).toEqual(['throttling', 'pressure-on', 'eviction-memory-pressure', 'oom-node', 'pressure-off']);
    expect(Number.isNaN(r.events!.taskId[1])).toBe(true);
    expect(r.events!.taskId[2]).toBe(4);
  });

  it('reads a run without dynamics: no events, no counters, empty used fractions as NaN', () => {
    const r = readResultsFolder(join(FIX, 'best-fit'));
    expect(r.events).toBeNull();
    expect(r.tasks.dynamics).toBeNull();
    expect(Number.isNaN(r.timeseries.value[1])).toBe(true);
  });

  it('reads a results folder the compiled replay wrote', async () => {
    const { schedlab } = await import('./helpers/cli.js');
    const out = join(root, 'replayed');
    const res = schedlab(['replay', '--tasks', '300', '--nodes', '6', '--hours', '2', '--overcommit', '1.5', '--quiet', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const r = readResultsFolder(out);
    expect(r.label).toBe('kube-default oc=1.5');
    expect(r.tasks.length).toBe(r.record.summary.tasks.submitted);
    const pending = r.tasks.status.filter((s) => s === 'pending').length;
    expect(pending).toBe(r.record.summary.tasks.pendingAtEnd);
    expect(r.events).not.toBeNull();
  });

  it('names what is wrong: missing files, another version, a bad field', () => {
    expect(() => readResultsFolder(join(root, 'nothing-here'))).toThrow(UsageError);
    const noTasks = copyOf('first-fit');
    rmSync(join(noTasks, 'tasks.csv'));
    expect(() => readResultsFolder(noTasks)).toThrow(/tasks\.csv is missing/);
    const noEvents = copyOf('first-fit');
    rmSync(join(noEvents, 'events.csv'));
    expect(() => readResultsFolder(noEvents)).toThrow(/events\.csv is missing although node dynamics ran/);
    const noRun = copyOf('best-fit');
    rmSync(join(noRun, 'run.json'));
    expect(() => readResultsFolder(noRun)).toThrow(/run\.json is missing/);

    const old = copyOf('best-fit');
    const rec = JSON.parse(readFileSync(join(old, 'run.json'), 'utf8'));
    writeFileSync(join(old, 'run.json'), JSON.stringify({ ...rec, schedlab: '0.0.3' }));
    expect(() => readResultsFolder(old)).toThrow(/written by schedlab 0\.0\.3, which this schedlab 0\.\d+\.\d+ cannot read/);

    const fgd = copyOf('best-fit');
    writeFileSync(join(fgd, 'run.json'), JSON.stringify({ schedlab: rec.schedlab, command: 'experiment fgd', seeds: 1, config: {} }));
    expect(() => readResultsFolder(fgd)).toThrow(/'experiment fgd' results/);

    const badJson = copyOf('best-fit');
    writeFileSync(join(badJson, 'run.json'), '{"schedlab": ');
    expect(() => readResultsFolder(badJson)).toThrow(InputError);

    const badField = copyOf('first-fit');
    const csv = readFileSync(join(badField, 'tasks.csv'), 'utf8').replace('2,job-b,0,100,Guaranteed,mid,600', '2,job-b,0,100,Guaranteed,mid,soon');
    writeFileSync(join(badField, 'tasks.csv'), csv);
    expect(() => readResultsFolder(badField)).toThrow('tasks.csv line 4, column 6 (submit_s): expected a number, got "soon"');

    const badStatus = copyOf('first-fit');
    writeFileSync(join(badStatus, 'tasks.csv'), readFileSync(join(badStatus, 'tasks.csv'), 'utf8').replace('node-1,running', 'node-1,sleeping'));
    expect(() => readResultsFolder(badStatus)).toThrow(/line 3, column 10 \(status\): expected one of pending, running, finished, killed, evicted, failed, rejected, got "sleeping"/);

    const badCause = copyOf('first-fit');
    writeFileSync(join(badCause, 'events.csv'), readFileSync(join(badCause, 'events.csv'), 'utf8').replace('oom-node', 'meteor'));
    expect(() => readResultsFolder(badCause)).toThrow(/events\.csv line 5, column 5 \(cause\)/);

    const shortRow = copyOf('first-fit');
    writeFileSync(join(shortRow, 'timeseries.csv'), readFileSync(join(shortRow, 'timeseries.csv'), 'utf8') + '4000,nodes_up\n');
    expect(() => readResultsFolder(shortRow)).toThrow('timeseries.csv line 26: expected 4 fields (as the header), got 2');

    const missingColumn = copyOf('first-fit');
    writeFileSync(join(missingColumn, 'timeseries.csv'), 'time_s,metric,value\n0,nodes_up,4\n');
    expect(() => readResultsFolder(missingColumn)).toThrow(/timeseries\.csv line 1: missing column 'resource'/);
  });
});

describe('version compatibility and labels', () => {
  it('reads the same major, and the same minor while the major is 0', () => {
    expect(compatibleVersion('0.1.0', '0.1.7')).toBe(true);
    expect(compatibleVersion('0.2.0', '0.1.0')).toBe(false);
    expect(compatibleVersion('1.4.0', '1.0.0')).toBe(true);
    expect(compatibleVersion('2.0.0', '1.9.9')).toBe(false);
    expect(compatibleVersion('banana', '0.1.0')).toBe(false);
  });

  it('labels a run by its policy and overcommit setting', () => {
    const r = readResultsFolder(join(FIX, 'first-fit')).record;
    expect(runLabel({ ...r, config: { ...r.config, dynamics: { enabled: true, overcommit: 'cpu=2' } } })).toBe('first-fit oc=cpu=2');
    expect(runLabel({ ...r, config: { ...r.config, dynamics: { enabled: true, overcommit: 'none' } } })).toBe('first-fit');
  });
});

describe('readCsvColumns', () => {
  it('reads quoted fields (commas, doubled quotes, newlines inside) and CRLF as csv-parse does', () => {
    const f = join(root, 'quoted.csv');
    const text = 'id,reason,x\r\n1,plain,2\r\n2,"0/4 nodes are available: 4 Insufficient cpu, 1 Too many pods.",3\r\n3,"say ""hi""\nagain",\r\n\r\n4,,5\r\n';
    writeFileSync(f, text);
    const t = readCsvColumns(f, [{ name: 'id', kind: 'number', required: true }, { name: 'reason', kind: 'text' }, { name: 'x', kind: 'number' }]);
    const expected = (parse(text, { skip_empty_lines: true }) as string[][]).slice(1);
    expect(t.length).toBe(4);
    expect(t.texts.get('reason')).toEqual(expected.map((r) => (r[1] === '' ? null : r[1])));
    expect(t.texts.get('reason')![2]).toBe('say "hi"\nagain');
    expect([...t.numbers.get('x')!]).toEqual([2, 3, NaN, 5]);
    // The record after the multi-line one keeps its own line number.
    writeFileSync(f, text.replace('4,,5', 'x,,5'));
    expect(() => readCsvColumns(f, [{ name: 'id', kind: 'number', required: true }])).toThrow('quoted.csv line 7, column 0 (id): expected a number, got "x"');
    writeFileSync(f, 'id\n"open\n');
    expect(() => readCsvColumns(f, [{ name: 'id', kind: 'text' }])).toThrow('quoted.csv line 2: a quoted field is not closed');
  });
});
