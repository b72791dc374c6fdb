import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOvercommit } from '../algorithms/overcommit/load-overcommit.js';
import { OVERCOMMIT_BUILTINS } from '../algorithms/overcommit/overcommit-registry.js';
import { UsageError } from '../model/errors.js';

const R = ['cpu', 'memory', 'gpu'];
const fixture = (f: string) => path.join(import.meta.dirname, 'fixtures', 'overcommit', f);

describe('loadOvercommit', () => {
  it('none and undefined: no overcommit', async () => {
    expect(await loadOvercommit(undefined, R)).toBeUndefined();
    expect(await loadOvercommit('none', R)).toBeUndefined();
  });

  it('ratios in every accepted form', async () => {
    for (const spec of ['cpu=2,memory=1.2', 'ratio:cpu=2,memory=1.2']) {
      const p = (await loadOvercommit(spec, R))!;
      expect([p.ratio!(0), p.ratio!(1), p.ratio!(2)]).toEqual([2, 1.2, 1]);
    }
    const b = (await loadOvercommit('1.5', R))!;
    expect([b.ratio!(0), b.ratio!(1), b.ratio!(2)]).toEqual([1.5, 1.5, 1]);
  });

  it('built-in policies and every peak predictor by name, with settings', async () => {
    expect((await loadOvercommit('borg', R))!.committed).toBeTypeOf('function');
    expect((await loadOvercommit('borg:margin=0.2', R))!.name).toBe('borg:margin=0.2');
    expect((await loadOvercommit('koordinator:cpu=65,memory=65', R))!.batchAllocatable).toBeTypeOf('function');
    for (const pred of ['borg-default', 'rc-like', 'n-sigma', 'max', 'oracle']) {
      expect((await loadOvercommit(`peak:${pred}`, R))!.name).toMatch(new RegExp(`^peak:${pred}`));
    }
    expect((await loadOvercommit('peak:n-sigma:n=3', R))!.name).toBe('peak:n-sigma:n=3');
  });

  it('user modules: default export (TypeScript through jiti) and named `overcommit` (JavaScript)', async () => {
    const a = (await loadOvercommit(fixture('half-cpu.ts'), R))!;
    expect(a.name).toBe('half-cpu()');
    expect([a.ratio!(0), a.ratio!(1)]).toEqual([0.5, 1]);
    const b = (await loadOvercommit(fixture('named-export.mjs'), ['memory', 'cpu']))!;
    expect([b.ratio!(0), b.ratio!(1)]).toEqual([2, 1]);
  });

  it.each([
    ['0', /ratio > 0/],
    ['-1', /ratio > 0/],
    ['abc', /unknown overcommit policy 'abc'/],
    ['cpu=0', /cpu: expected a ratio > 0/],
    ['cpu=abc', /cpu: expected a ratio > 0.*'abc'/],
    ['cpu=2,cpu=3', /'cpu' given twice/],
    ['disk=2', /unknown resource 'disk'; this workload has: cpu, memory, gpu/],
    ['ratio', /expected allocation ratios/],
    ['peak', /expected peak:<predictor>/],
    ['peak:foo', /unknown peak predictor 'foo'; expected one of borg-default, rc-like, n-sigma, max, oracle/],
    ['peak:n-sigma:n=abc', /n: expected a number of standard deviations/],
    ['peak:n-sigma:q=1', /unknown setting 'q'; expected n, warmup, history/],
    ['peak:rc-like:p=0', /p: expected a percentile in \(0, 100\]/],
    ['peak:max:dims=cpu+disk', /dims: unknown resource 'disk'/],
    ['peak:oracle:horizon=-5', /horizon: expected seconds > 0/],
    ['borg:margin=2', /margin: expected a fraction/],
    ['borg:speed=1', /unknown setting 'speed'/],
    ['koordinator:cpu=0', /cpu: expected a percentage in \(0, 100\]/],
    ['koordinator:memory=101', /memory: expected a percentage/],
    ['koordinator:cpu', /expected key=value settings/],
    ['', /expected 'none', allocation ratios/],
  ])('%s → UsageError naming --overcommit', async (spec, message) => {
    const p = loadOvercommit(spec, R);
    await expect(p).rejects.toThrow(UsageError);
    await expect(loadOvercommit(spec, R)).rejects.toThrow(/^--overcommit/);
    await expect(loadOvercommit(spec, R)).rejects.toThrow(message);
  });

  it('module paths: missing file, not a module', async () => {
    await expect(loadOvercommit('./no-such-overcommit.ts', R)).rejects.toThrow(/--overcommit: overcommit module \.\/no-such-overcommit\.ts does not exist/);
    await expect(loadOvercommit(fixture('not-a-module.ts'), R)).rejects.toThrow(/does not export an overcommit module/);
  });

  it('lists every built-in with a description', () => {
    expect(OVERCOMMIT_BUILTINS.map((b) => b.spec)).toEqual(expect.arrayContaining(['none', 'borg', 'koordinator', 'peak:max', 'peak:oracle']));
    for (const b of OVERCOMMIT_BUILTINS) expect(b.description.length).toBeGreaterThan(10);
  });
});
