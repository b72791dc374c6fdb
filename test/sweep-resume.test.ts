import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, schedlab, spawn } from './helpers/cli.js';

/** 2 policies × 12 seeds, small enough that a cell takes a fraction of a second. */
const CONFIG = `# a sweep that is interrupted and resumed
name: resume-test
policies: [first-fit, best-fit]
seeds: 12
nodes: 20
tasks: 1500
hours: 6
`;
const CELLS = 24;

/** Every entry under `dir`, recursively, relative names. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...tree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]));
}

describe('schedlab sweep (compiled CLI)', () => {
  it('Ctrl-C keeps the finished cells whole; the rerun runs only the rest and gives the tables of an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-sweep-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, CONFIG);
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [CLI, 'sweep', '--config', config, '--out', out], { cwd: ROOT, env: { ...process.env, SCHEDLAB_PROGRESS: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // Interrupt once the run's own progress says three cells are done (never a fixed delay).
    const ran = () => Math.max(0, ...[...stderr.matchAll(/, (\d+) run\)/g)].map((m) => Number(m[1])));
    const deadline = Date.now() + 90_000;
    while (ran() < 3 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    const kept = readdirSync(join(out, 'cells'));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length, 'the sweep finished before the interrupt: make the cells bigger').toBeLessThan(CELLS);
    expect(stderr).toMatch(new RegExp(`interrupted: ${kept.length} of ${CELLS} cells finished and kept in .*cells; rerun the same command to resume`));
    // No half-written file anywhere: only whole cell files (each parses) and the marker.
    expect(tree(out).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(tree(out).sort()).toEqual(['cells/', ...kept.map((f) => `cells/${f}`), 'sweep.json'].sort());
    for (const f of kept) expect(JSON.parse(readFileSync(join(out, 'cells', f), 'utf8')).summary.policy).toMatch(/^(first|best)-fit$/);
    const before = new Map(kept.map((f) => [f, statSync(join(out, 'cells', f))]));

    const rerun = schedlab(['sweep', '--config', config, '--out', out]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`${CELLS} cells (${CELLS - kept.length} run, ${kept.length} resumed`);
    // The kept cells were not redone: same files, untouched.
    for (const [f, st] of before) {
      const now = statSync(join(out, 'cells', f));
      expect([now.ino, now.mtimeMs]).toEqual([st.ino, st.mtimeMs]);
    }
    expect(readdirSync(join(out, 'cells'))).toHaveLength(CELLS);

    // One thread, no interruption: the same tables, byte for byte.
    const fresh = join(dir, 'fresh');
    const serial = schedlab(['sweep', '--config', config, '--out', fresh, '--threads', '1', '--quiet']);
    expect(serial.code, serial.stderr).toBe(0);
    expect(serial.stdout).toContain(`${CELLS} cells (${CELLS} run, 0 resumed`);
    // Every file but timing.json is byte-identical: cells, tables, Parquet, charts, report, marker.
    const files = tree(out).filter((f) => !f.endsWith('/') && f !== 'timing.json');
    expect(files.sort()).toEqual(tree(fresh).filter((f) => !f.endsWith('/') && f !== 'timing.json').sort());
    expect(files).toEqual(expect.arrayContaining(['cells.csv', 'groups.csv', 'cells.parquet', 'groups.parquet', 'schema.json', 'sweep.json', 'report.html']));
    for (const f of files) expect(readFileSync(join(out, f)).equals(readFileSync(join(fresh, f))), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8'))).toMatchObject({ command: 'sweep', ran: CELLS - kept.length, resumed: kept.length, mode: 'workers' });
    expect(readFileSync(join(out, 'cells.csv'), 'utf8').trim().split('\n')).toHaveLength(CELLS + 1);
    for (const f of ['report.html', 'report.md', 'sweep-busy-nodes-mean.vl.json', 'sweep-busy-nodes-mean.png']) expect(statSync(join(out, f)).size, f).toBeGreaterThan(0);

    // A third run has nothing left to do.
    const again = schedlab(['sweep', '--config', config, '--out', out, '--quiet']);
    expect(again.stdout).toContain(`${CELLS} cells (0 run, ${CELLS} resumed`);
  }, 240_000);

  it('bad input exits 2 with one line: config mistakes name file, line and field; a foreign folder is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-sweep-bad-'));
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'policies: [first-fit]\nseeds: 2\nnodez: 10\n');
    const r = schedlab(['sweep', '--config', config, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`schedlab: ${config} line 3 (nodez): unknown key 'nodez'; expected one of name, workloads, policies, seeds, overcommit, nodes, dynamics, tasks, hours, instance, queue, sample-seconds, nodes-to-score, zones, catalog, preemption, controllers\n`);
    writeFileSync(config, 'policies: []\n');
    const empty = schedlab(['sweep', '--config', config, '--out', join(dir, 'o')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(`schedlab: ${config} line 1 (policies): empty grid: give at least one value\n`);
    const missing = schedlab(['sweep', '--config', join(dir, 'nope.yaml'), '--out', join(dir, 'o')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^schedlab: --config: no such file .*nope\.yaml'\n$/);
    writeFileSync(config, 'policies: [first-fit]\ntasks: 10\nnodes: 2\n');
    const foreign = join(dir, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    const refused = schedlab(['sweep', '--config', config, '--out', foreign]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^schedlab: --out: '.*mine' is a folder schedlab's sweep did not write \(no sweep.json marker\)/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'mine']);
  }, 60_000);
});
