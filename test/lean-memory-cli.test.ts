import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schedlab } from './helpers/cli.js';

/** A CSV's header and its data rows sorted (rows as a set: the order may differ). */
function rowsAsSet(path: string): { header: string; rows: string[] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  return { header: lines[0], rows: lines.slice(1).sort() };
}

describe('replay --retain-tasks: the same results folder either way (tasks.csv rows as a set)', () => {
  it('default synthetic workload with node dynamics: summary and events.csv agree byte for byte, tasks.csv as a set; the live rows come in end order; no spool is left', () => {
    const root = mkdtempSync(join(tmpdir(), 'schedlab-lean-'));
    const common = ['replay', '--quiet', '--preemption', 'none', '--no-controllers', '--seed', '3'];
    const all = schedlab([...common, '--retain-tasks', 'all', '--out', join(root, 'all')]);
    expect(all.stderr).toMatch(/^schedlab replay: seed 3/);
    expect(all.code).toBe(0);
    const live = schedlab([...common, '--retain-tasks', 'live', '--out', join(root, 'live')]);
    expect(live.stderr).toMatch(/^schedlab replay: seed 3/);
    expect(live.code).toBe(0);
    const summary = (dir: string) => JSON.stringify(JSON.parse(readFileSync(join(root, dir, 'run.json'), 'utf8')).summary);
    expect(summary('live')).toBe(summary('all'));
    const a = rowsAsSet(join(root, 'all', 'tasks.csv'));
    const l = rowsAsSet(join(root, 'live', 'tasks.csv'));
    expect(l.header).toBe(a.header);
    expect(l.rows.length).toBe(a.rows.length);
    expect(l.rows).toEqual(a.rows);
    // events.csv is in time order either way: the same bytes.
    expect(readFileSync(join(root, 'live', 'events.csv'), 'utf8')).toBe(readFileSync(join(root, 'all', 'events.csv'), 'utf8'));
    // The live folder's rows are in the order tasks ended, not by id.
    const ids = readFileSync(join(root, 'live', 'tasks.csv'), 'utf8').trimEnd().split('\n').slice(1).map((r) => Number(r.split(',')[0]));
    expect(ids.some((id, i) => i > 0 && id < ids[i - 1])).toBe(true);
    // Nothing but the two folders: the row spool is gone.
    expect(readdirSync(root).sort()).toEqual(['all', 'live']);
  }, 120_000);
});
