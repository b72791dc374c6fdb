import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.js';
import { WORKLOAD_DEFAULTS } from '../cli/options.js';
import { DEFAULTS, replaySpec } from '../api/index.js';

/**
 * The library entry point as a user gets it: a project folder whose node_modules/schedlab links to
 * this package, importing `schedlab` by name (package.json `exports`, the compiled dist/ that
 * `npm test` builds) — from JavaScript, and from TypeScript through the exported types.
 */
const ENTRY = join(ROOT, 'dist', 'api', 'index.js');
let project: string;

function node(args: string[], cwd: string) {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 180_000 });
}

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does)`);
  project = mkdtempSync(join(tmpdir(), 'schedlab-library-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'schedlab'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("import { replay, compare, sweep } from 'schedlab'", () => {
  it('resolves through the exports map to functions; deep imports outside the map are refused', () => {
    writeFileSync(
      join(project, 'probe.mjs'),
      `import * as s from 'schedlab';\n` +
        `let deep = 'refused';\ntry { await import('schedlab/dist/harness/replay.js'); deep = 'allowed'; } catch (e) { deep = e.code; }\n` +
        `console.log(JSON.stringify({ replay: typeof s.replay, compare: typeof s.compare, sweep: typeof s.sweep, readResultsFolder: typeof s.readResultsFolder, version: s.version(), deep }));\n`,
    );
    const r = node(['probe.mjs'], project);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, string>;
    expect(got).toMatchObject({ replay: 'function', compare: 'function', sweep: 'function', readResultsFolder: 'function', deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    expect(got.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('the library defaults are the commands\' (cli/options.ts), and a request becomes the spec the CLI would build', () => {
    expect({ nodes: DEFAULTS.nodes, tasks: DEFAULTS.tasks, hours: DEFAULTS.hours, instance: DEFAULTS.instance }).toEqual({ ...WORKLOAD_DEFAULTS });
    const spec = replaySpec({ policy: 'best-fit', nodes: 20, overcommit: 'memory=1.5' });
    expect(spec).toMatchObject({ workload: 'synthetic', policy: 'best-fit', seed: 1, nodes: 20, tasks: 20_000, hours: 24, instance: 'm5.2xlarge', explicit: ['nodes'] });
    expect(spec.dynamics).toEqual({ enabled: true, overcommit: 'memory=1.5' });
    expect(replaySpec({ placement: 'recorded' }).dynamics).toEqual({ enabled: false });
    expect(replaySpec({ dynamics: false }).dynamics).toEqual({ enabled: false });
  });

  it('examples/library-example.mjs runs from a user project: the replay\'s folder, compare and sweep agree with each other', () => {
    copyFileSync(join(ROOT, 'examples', 'library-example.mjs'), join(project, 'example.mjs'));
    const out = join(project, 'results');
    const r = node(['example.mjs', out], project);
    expect(r.status, r.stderr).toBe(0);
    const line = (re: RegExp) => {
      const m = re.exec(r.stdout);
      expect(m, `${re} in:\n${r.stdout}`).not.toBeNull();
      return m!;
    };
    // The replay wrote the same folder as `schedlab replay --out`, summary included.
    const busy = Number(line(/replay best-fit: mean busy nodes ([0-9.]+)/)[1]);
    const run = JSON.parse(readFileSync(join(out, 'replay', 'run.json'), 'utf8')) as { command: string; summary: { nodes: { meanBusy: number } }; config: { policy: string; seed: number } };
    expect(run.command).toBe('replay');
    expect(run.config).toMatchObject({ policy: 'best-fit', seed: 7 });
    expect(run.summary.nodes.meanBusy).toBe(busy);
    for (const f of ['tasks.csv', 'tasks.parquet', 'timeseries.parquet', 'schema.json', 'report.html']) expect(existsSync(join(out, 'replay', f)), f).toBe(true);
    const tasks = readFileSync(join(out, 'replay', 'tasks.csv'), 'utf8').trim().split('\n').length - 1;
    expect(Number(line(/results folder: (\d+) tasks, seed 7/)[1])).toBe(tasks);
    // compare replays the same spec per policy: its best-fit column is the replay above.
    expect(Number(line(/compare best-fit: mean busy nodes ([0-9.]+)/)[1])).toBe(busy);
    line(/compare first-fit: mean busy nodes ([0-9.]+)/);
    // The sweep's group mean is the mean of its cells (cells.csv), over 3 seeds, inside its interval.
    const cells = readFileSync(join(out, 'sweep', 'cells.csv'), 'utf8').trim().split('\n');
    const head = cells[0].split(',');
    for (const policy of ['first-fit', 'best-fit']) {
      const m = line(new RegExp(`sweep ${policy}: busy nodes ([0-9.e-]+) \\[([0-9.e-]+), ([0-9.e-]+)\\] over 3 seeds`));
      const xs = cells.slice(1).map((c) => c.split(',')).filter((c) => c[head.indexOf('policy')] === policy).map((c) => Number(c[head.indexOf('busy_nodes_mean')]));
      expect(xs).toHaveLength(3);
      expect(Number(m[1])).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / 3, 9);
      expect(Number(m[2])).toBeLessThan(Number(m[1]));
      expect(Number(m[3])).toBeGreaterThan(Number(m[1]));
    }
  }, 200_000);

  it('is typed: a TypeScript user project type-checks against the exported types, and a wrong option is a compile error', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['good.ts', 'bad.ts'] }),
    );
    writeFileSync(
      join(project, 'good.ts'),
      `import { replay, compare, sweep, type RunSummary, type SweepResult, type PolicyModule } from 'schedlab';\n` +
        `export async function f(): Promise<number> {\n` +
        `  const run = await replay({ policy: 'best-fit', nodes: 10, tasks: 100 });\n` +
        `  const s: RunSummary = run.summary;\n` +
        `  const c = await compare({ policies: ['first-fit', 'best-fit'] });\n` +
        `  const w: SweepResult = await sweep({ policies: ['first-fit'], seeds: [1] }, { out: 'x' });\n` +
        `  const p: PolicyModule | undefined = undefined;\n  void p;\n` +
        `  return s.nodes.meanBusy + c.summaries.length + w.cells.length;\n}\n`,
    );
    writeFileSync(join(project, 'bad.ts'), `import { replay } from 'schedlab';\nexport const x = replay({ nodes: 'many' });\n`);
    const r = node([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
    const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // Exactly one error, in bad.ts, about the option's type: the exports resolve and are typed.
    expect(errors, r.stdout).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  }, 120_000);
});
