import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schedlab } from './helpers/cli.js';

// A small replay: fast, yet with pending tasks, busy nodes and node dynamics to chart.
const SMALL = ['--tasks', '1500', '--nodes', '10', '--hours', '6', '--seed', '3', '--quiet'];

const tmp = () => mkdtempSync(join(tmpdir(), 'schedlab-report-cli-'));
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** The specs report.html embeds, parsed from its inline JSON. */
function embeddedSpecs(html: string): Array<{ data?: { values?: Array<Record<string, unknown>> } }> {
  const m = /<script type="application\/json" id="schedlab-specs">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]);
}

/** Every value of `field` in the inline data of all charts. */
function valuesOf(specs: ReturnType<typeof embeddedSpecs>, field: string): Set<unknown> {
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === field && (typeof v === 'string' || typeof v === 'number')) seen.add(v);
        walk(v);
      }
    }
  };
  walk(specs);
  return seen;
}

/** A row of report.md's summary table, by its first cell. */
function mdRow(md: string, first: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${first} |`));
  expect(line, first).toBeDefined();
  return line!.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim());
}

describe('replay --out writes the report', () => {
  const dir = join(tmp(), 'run');
  const r = schedlab(['replay', ...SMALL, '--policy', 'best-fit', '--out', dir]);

  it('report.html, report.md and the charts beside the results, the table as run.json says', () => {
    expect(r.stderr).toMatch(/^schedlab replay: seed 3, replayed in [\d.]+ s .*\n$/);
    expect(r.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('report.html');
    expect(files).toContain('report.md');
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    for (const p of pngs) expect(md).toContain(`](${p})`);
    const run = json(join(dir, 'run.json'));
    expect(mdRow(md, 'tasks submitted')[1]).toBe(run.summary.tasks.submitted.toLocaleString('en-US'));
    expect(mdRow(md, 'busy node-hours')[1]).toBe(run.summary.cost.busyNodeHours.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(embeddedSpecs(html)).toHaveLength(pngs.length);
  });

  it('a rerun with --force replaces the folder, report included', () => {
    const again = schedlab(['replay', ...SMALL, '--policy', 'best-fit', '--out', dir, '--force']);
    expect(again.stderr).toMatch(/^schedlab replay: seed 3/);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});

describe('compare --out', () => {
  const root = tmp();
  const dir = join(root, 'cmp');
  const r = schedlab(['compare', ...SMALL, '--policies', 'first-fit,best-fit', '--out', dir]);

  it('writes a results folder per run, each as the single replay writes it', () => {
    expect(r.stderr).toMatch(/^schedlab compare: seed 3, 2 policies\n$/);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['best-fit', 'first-fit']);
    const single = join(root, 'bf');
    expect(schedlab(['replay', ...SMALL, '--policy', 'best-fit', '--out', single]).code).toBe(0);
    for (const f of ['tasks.csv', 'timeseries.csv', 'events.csv']) {
      expect(readFileSync(join(dir, 'runs', 'best-fit', f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));
    }
    expect(json(join(dir, 'runs', 'best-fit', 'run.json')).summary).toEqual(json(join(single, 'run.json')).summary);
  });

  it('compare.json holds the table compare prints, with the runs and their folders', () => {
    const c = json(join(dir, 'compare.json'));
    expect(c.command).toBe('compare');
    expect(c.baseline).toBe('first-fit');
    expect(c.runs).toEqual([{ label: 'first-fit', policy: 'first-fit', folder: 'first-fit' }, { label: 'best-fit', policy: 'best-fit', folder: 'best-fit' }]);
    expect(c.table.header).toEqual(['', 'first-fit', 'best-fit']);
    const printed = schedlab(['compare', ...SMALL, '--policies', 'first-fit,best-fit']).stdout.split('\n');
    for (const row of c.table.rows as string[][]) {
      const line = printed.find((l) => l.startsWith(row[0] + ' ') || l === row[0]);
      expect(line, row[0]).toBeDefined();
      expect(line!.trim().split(/\s{2,}/).slice(-2)).toEqual(row.slice(1));
    }
    expect(Object.keys(c.savingsPerYear)).toEqual(['first-fit', 'best-fit']);
    expect(c.savingsPerYear['first-fit']).toBe(0);
  });

  it('its report charts both policies and tables both columns', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const specs = embeddedSpecs(html);
    expect(specs.length).toBeGreaterThan(0);
    const labels = [...valuesOf(specs, 'policy'), ...valuesOf(specs, 'run'), ...valuesOf(specs, 'label')];
    expect(labels).toContain('first-fit');
    expect(labels).toContain('best-fit');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('|  | first-fit | best-fit |');
    expect(mdRow(md, 'savings/yr vs first-fit')[1]).toBe('$0.00');
  });

  it('a second run with the same seed writes the same bytes, timing.json files aside', () => {
    const again = join(root, 'cmp-again');
    expect(schedlab(['compare', ...SMALL, '--policies', 'first-fit,best-fit', '--out', again]).code).toBe(0);
    const files = (d: string) => (readdirSync(d, { recursive: true }) as string[]).filter((f) => !statSync(join(d, f)).isDirectory()).sort();
    expect(files(again)).toEqual(files(dir));
    const compared = files(dir).filter((f) => !f.endsWith('timing.json'));
    expect(compared).toEqual(expect.arrayContaining(['compare.json', 'report.html', 'report.md', join('runs', 'best-fit', 'tasks.csv')]));
    for (const f of compared) expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
  });

  it('refuses a folder schedlab did not write, and replaces its own only with --force', () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const bad = schedlab(['compare', ...SMALL, '--policies', 'first-fit', '--out', foreign]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    const again = schedlab(['compare', ...SMALL, '--policies', 'first-fit,best-fit', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--force/);
    const forced = schedlab(['compare', ...SMALL, '--policies', 'best-fit', '--out', dir, '--force']);
    expect(forced.stderr).toMatch(/^schedlab compare: seed 3, 1 policies\n$/);
    expect(readdirSync(join(dir, 'runs'))).toEqual(['best-fit']);
  });
});

describe('schedlab report', () => {
  const root = tmp();
  const ff = join(root, 'ff');
  const bf = join(root, 'bf');
  schedlab(['replay', ...SMALL, '--policy', 'first-fit', '--out', ff]);
  schedlab(['replay', ...SMALL, '--policy', 'best-fit', '--out', bf]);

  it('two replays side by side, into --out', () => {
    const out = join(root, 'both');
    const r = schedlab(['report', ff, bf, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('|  | first-fit | best-fit |');
    expect(mdRow(md, 'tasks submitted').slice(1)).toEqual([ff, bf].map((d) => json(join(d, 'run.json')).summary.tasks.submitted.toLocaleString('en-US')));
    // Again without --force: refused; with it, replaced.
    expect(schedlab(['report', ff, bf, '--out', out]).code).toBe(2);
    expect(schedlab(['report', ff, bf, '--out', out, '--force']).code).toBe(0);
  });

  it('--charts keeps the charts named, in that order', () => {
    const names = readdirSync(ff).filter((f) => f.endsWith('.vl.json')).map((f) => f.replace(/\.vl\.json$/, ''));
    expect(names.length).toBeGreaterThan(1);
    const out = join(root, 'one');
    const pick = [names[1], names[0]];
    expect(schedlab(['report', ff, '--out', out, '--charts', pick.join(',')]).code).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).sort()).toEqual(pick.map((n) => `${n}.png`).sort());
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md.indexOf(`(${pick[0]}.png)`)).toBeLessThan(md.indexOf(`(${pick[1]}.png)`));
  });

  it('bad input: one line, exit 2', () => {
    const one = (args: string[], pattern: RegExp) => {
      const r = schedlab(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    one(['report', join(root, 'absent')], /absent/);
    one(['report', ff, '--charts', 'no-such-chart'], /--charts: unknown chart 'no-such-chart'/);
    const incomplete = join(root, 'incomplete');
    cpSync(ff, incomplete, { recursive: true });
    rmSync(join(incomplete, 'tasks.csv'));
    one(['report', incomplete], /tasks\.csv is missing/);
    const old = join(root, 'old');
    cpSync(ff, old, { recursive: true });
    const run = json(join(old, 'run.json'));
    writeFileSync(join(old, 'run.json'), JSON.stringify({ ...run, schedlab: '9.0.0' }));
    one(['report', old], /schedlab 9\.0\.0/);
    one(['report'], /report: give/);
  });
});

describe('experiment fgd --out writes the report', () => {
  it('the allocation figure with each policy\'s mean curve from curves.csv, and the table from summary.json', () => {
    const out = join(tmp(), 'fgd');
    const FIX = join(__dirname, 'fixtures', 'alibaba-openb');
    const r = schedlab(['experiment', 'fgd', '--pods', join(FIX, 'openb_pod_list_tiny.csv'), '--nodes', join(FIX, 'openb_node_list_all_node.csv'), '--seeds', '2', '--policies', 'random,fgd', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('](fgd-allocation.png)');
    const summary = json(join(out, 'summary.json'));
    for (const p of summary.policies) expect(mdRow(md, p.policy)[1]).toBe(`${(p.at100.mean * 100).toFixed(2)}% (${(p.at100.min * 100).toFixed(2)}–${(p.at100.max * 100).toFixed(2)})`);
    // The figure's mean line at 100 % arrived demand is the mean of the seeds' rows in curves.csv.
    const [, ...rows] = readFileSync(join(out, 'curves.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const spec = embeddedSpecs(readFileSync(join(out, 'report.html'), 'utf8'))[0] as unknown as { data: { values: Array<{ policy: string; arrived_pct: number; mean_pct: number }> } };
    for (const policy of ['random', 'fgd']) {
      const at100 = rows.filter((x) => x[0] === policy && x[2] === '100').map((x) => Number(x[3]));
      expect(at100).toHaveLength(2);
      const point = spec.data.values.find((v) => v.policy === policy && v.arrived_pct === 100)!;
      expect(point.mean_pct).toBeCloseTo((100 * (at100[0] + at100[1])) / 2, 4);
    }
  });
});
