import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT, schedlab } from './helpers/cli.js';

/** `schedlab experiment compaction` through the compiled CLI: output, results folder, determinism, bad input. */
const FIXTURE_TRACE = path.join(ROOT, 'test', 'fixtures', 'google-2011', 'trace');

describe('experiment compaction (CLI)', () => {
  it('prints the table with the paper beside each direction; --json gives every trial', () => {
    const text = schedlab(['experiment', 'compaction', '--workload', 'synthetic', '--seeds', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Cell compaction \(Verma et al\., EuroSys'15 §5\.1\): synthetic/);
    expect(text.stdout).toMatch(/production and non-production apart .*\+20–30 % machines \(median cell\)/);
    expect(text.stdout).toMatch(/requests rounded up to powers of two .*\+30–50 % resources/);
    const j = schedlab(['experiment', 'compaction', '--workload', 'synthetic', '--seeds', '3', '--experiments', 'baseline,rounded', '--json']);
    expect(j.code).toBe(0);
    const r = JSON.parse(j.stdout);
    expect(r.experiment).toBe('compaction');
    expect(r.variants.map((v: { name: string }) => v.name)).toEqual(['baseline', 'rounded']);
    expect(r.variants[0].stats.trials.map((t: { seed: number }) => t.seed)).toEqual([1, 2, 3]);
    expect(r.seeds).toEqual([1, 2, 3]);
    expect(r.wallSeconds).toBeUndefined(); // timings live in timing.json only
  });

  it('11 seeds by default; a trace with recorded starts stands as the trace ran it', () => {
    const j = schedlab(['experiment', 'compaction', '--workload', FIXTURE_TRACE, '--experiments', 'baseline', '--at', '0', '--json']);
    expect(j.code).toBe(0);
    const r = JSON.parse(j.stdout);
    expect(r.seeds).toHaveLength(11);
    expect(r.atRule).toBe('given');
    expect(r.notes[0]).toMatch(/tasks the trace ran at 0\.00 h/);
  });

  it('--out writes run.json, summary.json and timing.json, byte-identical results for one seed set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compaction-'));
    try {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      for (const out of [a, b]) {
        const r = schedlab(['experiment', 'compaction', '--workload', 'synthetic', '--seeds', '2', '--out', out]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      expect(readdirSync(a).sort()).toEqual([
        'compaction-machines.png',
        'compaction-machines.svg',
        'compaction-machines.vl.json',
        'report.html',
        'report.md',
        'run.json',
        'summary.json',
        'timing.json',
      ]);
      expect(readFileSync(path.join(a, 'summary.json'), 'utf8')).toBe(readFileSync(path.join(b, 'summary.json'), 'utf8'));
      // The report: its figure holds one bar per experiment at the summary's p90, and is reproducible.
      const summary = JSON.parse(readFileSync(path.join(a, 'summary.json'), 'utf8'));
      const spec = JSON.parse(readFileSync(path.join(a, 'compaction-machines.vl.json'), 'utf8'));
      const bars = spec.data.values as Array<{ experiment: string; p90: number }>;
      expect(bars.map((v) => v.experiment)).toEqual(summary.variants.map((v: { name: string }) => v.name));
      expect(bars.map((v) => v.p90)).toEqual(summary.variants.map((v: { stats: { p90: number } }) => v.stats.p90));
      for (const f of ['report.html', 'report.md', 'compaction-machines.svg', 'compaction-machines.png']) {
        expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f)))).toBe(true);
      }
      expect(readFileSync(path.join(a, 'report.md'), 'utf8')).toMatch(/!\[.*\]\(compaction-machines\.png\)/);
      const run = JSON.parse(readFileSync(path.join(a, 'run.json'), 'utf8'));
      expect(run.command).toBe('experiment compaction');
      // An earlier results folder is replaced only with --force.
      const again = schedlab(['experiment', 'compaction', '--workload', 'synthetic', '--seeds', '1', '--out', a]);
      expect(again.code).toBe(2);
      const forced = schedlab(['experiment', 'compaction', '--workload', 'synthetic', '--seeds', '1', '--out', a, '--force']);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--at', 'soon'], /^schedlab: --at: expected 'peak' or hours from the window start \(a number ≥ 0\), got 'soon'$/],
    [['--at', '-1'], /^schedlab: --at: expected 'peak' or hours from the window start/],
    [['--at', '99'], /^schedlab: --at: 99 h is outside the window \(0 to 24\.00 h\)$/],
    [['--experiments', 'baseline,nope'], /^schedlab: --experiments: unknown experiment 'nope'; choose from: baseline, segregated, rounded$/],
    [['--experiments', ','], /^schedlab: --experiments: give at least one of baseline, segregated, rounded$/],
    [['--seeds', '0'], /^schedlab: --seeds: expected a positive whole number/],
  ])('bad input %j: exit 2, one line', (args, message) => {
    const r = schedlab(['experiment', 'compaction', '--workload', 'synthetic', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('a missing workload path: exit 2 naming --workload', () => {
    const r = schedlab(['experiment', 'compaction', '--workload', path.join(ROOT, 'no-such-trace')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^schedlab: --workload: '.*no-such-trace' does not exist/);
  });
});
