import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, schedlab } from './helpers/cli.js';
import { isReportFile } from '../reports/report/write-report.js';

/**
 * Equal seeds and inputs give byte-identical results (README, Commands): every command that writes
 * results runs twice, into two fresh places, and every file is compared byte for byte. The only
 * file allowed to differ is timing.json (wall times, host), which must be there. Runs the compiled
 * CLI (npm test builds it first) on small inputs.
 */
const FIX = join(ROOT, 'test', 'fixtures');
const DATA = join(ROOT, '..', 'shared', 'data');
const OPENB = join(DATA, 'alibaba-openb-2023');
const BPP = join(DATA, 'binpacking-1d', 'instances');
const openbPresent = existsSync(join(OPENB, 'openb_pod_list_default.csv')) && existsSync(join(OPENB, 'openb_node_list_gpu_node.csv'));
const bppPresent = existsSync(join(BPP, 'Scholl_2', 'N1W1B1R0.txt'));
if (!openbPresent) console.warn(`[determinism] experiment fgd on the real openb lists skipped: ${OPENB} is absent (the fixture lists still run)`);
if (!bppPresent) console.warn(`[determinism] pack on real BPPLIB instances skipped: ${BPP} is absent (the fixtures still run)`);

const root = mkdtempSync(join(tmpdir(), 'schedlab-determinism-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = () => mkdtempSync(join(root, `case-${count++}-`));

/** Runs the CLI and expects exit code 0. */
function run(args: string[]): { stdout: string; stderr: string } {
  const r = schedlab(args);
  expect(r.code, `schedlab ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** Every regular file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Two results folders: the same files, byte-identical except timing.json, which both have. */
function expectSameResults(a: string, b: string, command: string): void {
  const files = filesUnder(a);
  expect(filesUnder(b)).toEqual(files);
  expect(files).toContain('timing.json');
  expect(files.filter((f) => f !== 'timing.json').length).toBeGreaterThan(0);
  for (const f of files) {
    if (f === 'timing.json') continue;
    const same = readFileSync(join(a, f)).equals(readFileSync(join(b, f)));
    expect(same, `${command}: ${f} differs between two runs with the same seed`).toBe(true);
  }
  for (const dir of [a, b]) {
    const timing = JSON.parse(readFileSync(join(dir, 'timing.json'), 'utf8'));
    expect(timing.command).toBe(command);
    expect(timing.wallSeconds).toBeGreaterThanOrEqual(0);
    expect(timing.host.cpus).toBeGreaterThan(0);
  }
}

/** Runs `args(out)` into a fresh folder; returns the result path. */
function once(args: (out: string) => string[]): string {
  const out = join(fresh(), 'res');
  run(args(out));
  return out;
}

/** Runs `args(out)` twice, each into its own fresh folder; returns both result paths. */
function twice(args: (out: string) => string[]): [string, string] {
  return [once(args), once(args)];
}

describe('replay --out', () => {
  const replay = (seed: number) => (out: string) => ['replay', '--tasks', '2000', '--nodes', '20', '--seed', String(seed), '--quiet', '--out', out];

  it('two runs with one seed write byte-identical run.json, tasks.csv, timeseries.csv, events.csv and the report; only timing.json differs', () => {
    const [a, b] = twice(replay(5));
    expect(filesUnder(a).filter((f) => !isReportFile(f))).toEqual(['availability.csv', 'availability.parquet', 'events.csv', 'events.parquet', 'run.json', 'schema.json', 'tasks.csv', 'tasks.parquet', 'timeseries.csv', 'timeseries.parquet', 'timing.json']);
    expect(filesUnder(a)).toEqual(expect.arrayContaining(['report.html', 'report.md']));
    expectSameResults(a, b, 'replay');
    for (const f of ['run.json', 'tasks.csv', 'timeseries.csv', 'events.csv']) {
      expect(readFileSync(join(a, f), 'utf8'), `${f} holds a wall-clock field`).not.toMatch(/wallSeconds|eventsPerSecond|finishedAt/);
    }
    const timing = JSON.parse(readFileSync(join(a, 'timing.json'), 'utf8'));
    expect(timing.events).toBeGreaterThan(0);
  });

  it('a different seed gives a different replay (so the comparison can fail)', () => {
    const a = once(replay(5));
    const c = once(replay(6));
    expect(readFileSync(join(a, 'tasks.csv')).equals(readFileSync(join(c, 'tasks.csv')))).toBe(false);
    expect(JSON.parse(readFileSync(join(c, 'run.json'), 'utf8')).seed).toBe(6);
  });

  it('replay --json prints the same summary twice', () => {
    const args = ['replay', '--tasks', '2000', '--nodes', '20', '--seed', '5', '--json'];
    expect(run(args).stdout).toBe(run(args).stdout);
  });
});

describe('compare --json', () => {
  it('two policies in worker threads: the same JSON twice', () => {
    const args = ['compare', '--tasks', '2000', '--nodes', '20', '--seed', '5', '--policies', 'first-fit,best-fit', '--json'];
    const first = run(args).stdout;
    expect(JSON.parse(first).summaries).toHaveLength(2);
    expect(run(args).stdout).toBe(first);
  });
});

describe('experiment fgd --out', () => {
  const fixture = ['--pods', join(FIX, 'alibaba-openb', 'openb_pod_list_tiny.csv'), '--nodes', join(FIX, 'alibaba-openb', 'openb_node_list_all_node.csv')];

  it('fixture lists, 2 seeds × 6 policies: run.json, summary.json, curves.csv and the report byte-identical; timings only in timing.json', () => {
    const [a, b] = twice((out) => ['experiment', 'fgd', ...fixture, '--seeds', '2', '--out', out]);
    expect(filesUnder(a).filter((f) => !isReportFile(f))).toEqual(['curves.csv', 'run.json', 'summary.json', 'timing.json']);
    expect(filesUnder(a)).toEqual(expect.arrayContaining(['fgd-allocation.png', 'report.html', 'report.md']));
    expectSameResults(a, b, 'experiment fgd');
    expect(readFileSync(join(a, 'summary.json'), 'utf8')).not.toMatch(/seconds/i);
    const timing = JSON.parse(readFileSync(join(a, 'timing.json'), 'utf8'));
    expect(Object.keys(timing.placementSeconds)).toEqual(['random', 'dot-product', 'gpu-clustering', 'gpu-packing', 'best-fit', 'fgd']);
    expect(timing.placementSeconds.fgd).toHaveLength(2);
  });

  it('--json prints the same summary and curves twice, without timings', () => {
    const args = ['experiment', 'fgd', ...fixture, '--seeds', '2', '--json'];
    const first = run(args).stdout;
    expect(first).not.toMatch(/seconds/i);
    expect(run(args).stdout).toBe(first);
  });

  it.skipIf(!openbPresent)('real openb lists, 1 seed, random and fgd: byte-identical results', () => {
    const [a, b] = twice((out) => ['experiment', 'fgd', '--seeds', '1', '--policies', 'random,fgd', '--out', out]);
    expectSameResults(a, b, 'experiment fgd');
  });
});

describe('pack --json', () => {
  const packArgs = (files: string[]) => ['pack', ...files, '--algorithms', 'all,exact', '--json'];

  it('fixture instances (1-D and 2-D), every heuristic and the exact MIP: the same report twice, no timings', () => {
    const args = packArgs([join(FIX, 'bin-packing', 'ok-crlf.txt'), join(FIX, 'bin-packing', 'vbp-ok.vbp')]);
    const first = run(args).stdout;
    expect(first).not.toMatch(/seconds/i);
    expect(run(args).stdout).toBe(first);
  });

  it.skipIf(!bppPresent)('two small Scholl instances, one proved by the MIP beyond the lower bound: the same report twice', () => {
    const args = packArgs([join(BPP, 'Scholl_1', 'N1C1W1_A.txt'), join(BPP, 'Scholl_2', 'N1W1B1R0.txt')]);
    const first = run(args).stdout;
    const rep = JSON.parse(first);
    expect(rep.instances.map((r: { results: Array<{ algorithm: string; status: string }> }) => r.results.find((x) => x.algorithm === 'exact')?.status)).toEqual(['optimal', 'optimal']);
    expect(run(args).stdout).toBe(first);
  });
});

describe('trace convert --out and trace inspect --json', () => {
  const convertTwice = (input: string[], name: string): [string, string] => {
    const outs = [join(fresh(), name), join(fresh(), name)] as [string, string];
    for (const o of outs) run(['trace', 'convert', ...input, '--quiet', '--out', o]);
    return outs;
  };
  const sameBytes = ([a, b]: [string, string]) => {
    expect(statSync(a).size).toBeGreaterThan(0);
    expect(readFileSync(a).equals(readFileSync(b)), `${a} and ${b} differ`).toBe(true);
  };

  it('a Google 2011 fixture trace and an SWF fixture: byte-identical Arrow files', () => {
    sameBytes(convertTwice([join(FIX, 'google-2011', 'trace')], 'g.schedlab.arrow'));
    sameBytes(convertTwice([join(FIX, 'swf', 'sample.swf')], 's.schedlab.arrow'));
  });

  it('the synthetic generator with one seed: byte-identical Arrow files; another seed differs', () => {
    const synthetic = (seed: number) => ['synthetic', '--tasks', '2000', '--nodes', '20', '--seed', String(seed)];
    const [a, b] = convertTwice(synthetic(3), 'w.schedlab.arrow');
    sameBytes([a, b]);
    const c = join(fresh(), 'w.schedlab.arrow');
    run(['trace', 'convert', ...synthetic(4), '--quiet', '--out', c]);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it('trace inspect --json prints the same report twice', () => {
    const args = ['trace', 'inspect', join(FIX, 'google-2011', 'trace'), '--json'];
    expect(run(args).stdout).toBe(run(args).stdout);
  });
});
