import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseSweepConfig, validateSweepConfig } from '../harness/sweep/sweep-config.js';
import { sweepCells } from '../harness/sweep/sweep-grid.js';
import { cellKey, canonicalJson } from '../harness/sweep/cell-key.js';
import { UsageError } from '../model/errors.js';

const FILE = 'test/fixtures/sweep.yaml';

/** The UsageError message parsing `text` gives. */
async function errorOf(text: string): Promise<string> {
  try {
    await parseSweepConfig(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('sweep config validation', () => {
  it('an unknown key names file, line and key, and lists the known ones', async () => {
    const msg = await errorOf('policies: [first-fit]\nseeds: 3\npolicy: best-fit\n');
    expect(msg).toMatch(/^test\/fixtures\/sweep\.yaml line 3 \(policy\): unknown key 'policy'; expected one of name, workloads, policies/);
  });

  it('an unknown policy names the list item and its line, with the valid choices', async () => {
    const msg = await errorOf('policies:\n  - first-fit\n  - bestfit\n');
    expect(msg).toMatch(/^test\/fixtures\/sweep\.yaml line 3 \(policies\[1\]\): unknown policy 'bestfit'; valid choices: .*best-fit/);
  });

  it('an empty grid, a missing policies key and a wrong type are each one line naming the field', async () => {
    expect(await errorOf('policies: []\n')).toMatch(/line 1 \(policies\): empty grid: give at least one value/);
    expect(await errorOf('seeds: 2\n')).toMatch(/\(policies\): required/);
    expect(await errorOf('policies: [first-fit]\nnodes: [10, ten]\n')).toMatch(/line 2 \(nodes\[1\]\): expected a whole number from 1 to 1,000,000, got 'ten'/);
    expect(await errorOf('policies: [first-fit]\ndynamics: yes please\n')).toMatch(/line 2 \(dynamics\): expected true or false, got 'yes please'/);
    expect(await errorOf('policies: [first-fit]\nseeds: 0\n')).toMatch(/\(seeds\): expected a whole number from 1/);
    expect(await errorOf('policies: [first-fit]\nqueue: lifo\n')).toMatch(/\(queue\): expected one of priority, fifo, sjf, drf, got 'lifo'/);
    expect(await errorOf('- first-fit\n')).toMatch(/^test\/fixtures\/sweep\.yaml line 1: expected a mapping/);
  });

  it('overcommit settings, instance types and workload paths are checked before any cell runs', async () => {
    expect(await errorOf('policies: [first-fit]\novercommit: [none, turbo]\n')).toMatch(/line 2 \(overcommit\[1\]\): unknown overcommit policy 'turbo'/);
    expect(await errorOf('policies: [first-fit]\ninstance: m9.huge\n')).toMatch(/line 2 \(instance\): unknown instance type 'm9.huge'/);
    expect(await errorOf('policies: [first-fit]\nworkloads: [synthetic, no/such/trace]\n')).toMatch(/line 2 \(workloads\[1\]\): no such workload '.*no\/such\/trace'/);
    expect(await errorOf('policies: [first-fit]\novercommit: [1.5]\ndynamics: false\n')).toMatch(/\(overcommit\): applies to node dynamics/);
  });

  it('a trace workload must accept the options the sweep gives every cell; paths resolve against the sweep file', async () => {
    expect(await errorOf('policies: [first-fit]\nworkloads: [synthetic, google-2011/trace]\nnodes: [10, 20]\n')).toMatch(
      /^test\/fixtures\/sweep\.yaml line 2 \(workloads\[1\]\): nodes does not apply to google-2011 workloads: the trace defines its machines/,
    );
    const ok = await parseSweepConfig('policies: [first-fit]\nworkloads: google-2011/trace\n', FILE);
    expect(ok.workloads).toEqual([join(process.cwd(), 'test/fixtures/google-2011/trace')]);
    expect(ok.given).toEqual([]);
  });

  it('learned:DIR resolves against the sweep file, and a missing model directory names the line', async () => {
    const ok = await parseSweepConfig('policies: [learned, learned:../../algorithms/learned/pretrained]\n', FILE);
    expect(ok.policies).toEqual(['learned', `learned:${join(process.cwd(), 'algorithms/learned/pretrained')}`]);
    expect(await errorOf('policies:\n  - best-fit\n  - learned:no-such-model\n')).toMatch(/^test\/fixtures\/sweep\.yaml line 3 \(policies\[1\]\): .*no-such-model/);
  });

  it('bad YAML and a duplicated key or value are refused with the line', async () => {
    expect(await errorOf('policies: [first-fit\n')).toMatch(/^test\/fixtures\/sweep\.yaml line \d+: not valid YAML/);
    expect(await errorOf('policies: [first-fit]\npolicies: [best-fit]\n')).toMatch(/line 2: not valid YAML: .*[Uu]nique/);
    expect(await errorOf('policies: [first-fit, first-fit]\n')).toMatch(/\(policies\[1\]\): 'first-fit' is listed twice/);
  });

  it('plain data (the library entry point) is checked the same way, fields named without a line', async () => {
    await expect(validateSweepConfig({ policies: ['first-fit'], colour: 'red' })).rejects.toThrow(/^sweep config \(colour\): unknown key 'colour'/);
    await expect(validateSweepConfig({ policies: [] })).rejects.toThrow(/^sweep config \(policies\): empty grid/);
  });
});

describe('sweep grid', () => {
  it('is the cartesian product; dynamics-off cells run overcommit none only; seeds innermost', async () => {
    const c = await parseSweepConfig('policies: [first-fit, best-fit]\nseeds: 3\novercommit: [none, 1.5]\nnodes: [10, 20]\ndynamics: [true, false]\ntasks: 100\n', FILE);
    const cells = sweepCells(c);
    // 2 policies × 3 seeds × 2 sizes × (2 overcommit with dynamics + 1 without).
    expect(cells).toHaveLength(2 * 3 * 2 * 3);
    expect(cells.slice(0, 4).map((x) => [x.policy, x.seed])).toEqual([['first-fit', 1], ['first-fit', 2], ['first-fit', 3], ['best-fit', 1]]);
    expect(cells.filter((x) => !x.dynamics).every((x) => x.overcommit === 'none' && x.spec.dynamics?.enabled === false)).toBe(true);
    const oc = cells.find((x) => x.overcommit === '1.5')!;
    expect(oc.spec.dynamics).toEqual({ enabled: true, overcommit: '1.5' });
    expect(oc.spec.tasks).toBe(100);
    expect(oc.spec.explicit).toEqual(['nodes', 'tasks']);
    expect(new Set(cells.map((x) => x.key)).size).toBe(cells.length);
  });

  it('preemption and controllers reach every cell as replay reactions; without them the spec has none (keys unchanged)', async () => {
    const plain = sweepCells(await parseSweepConfig('policies: [first-fit]\ntasks: 100\n', FILE))[0];
    expect(plain.spec.reactions).toBeUndefined();
    const set = sweepCells(await parseSweepConfig('policies: [first-fit]\ntasks: 100\npreemption: none\ncontrollers: false\n', FILE))[0];
    expect(set.spec.reactions).toEqual({ preemption: 'none', controllers: false });
    expect(set.key).not.toBe(plain.key);
    expect(await errorOf('policies: [first-fit]\npreemption: sometimes\n')).toMatch(/line 2 \(preemption\): expected one of auto, kube, borg, none, got 'sometimes'/);
    expect(await errorOf('policies: [first-fit]\ncontrollers: off\n')).toMatch(/line 2 \(controllers\): expected true or false, got 'off'/);
  });

  it('a cell key is the hash of its full spec: key order does not matter, any changed field does', () => {
    const spec = { workload: 'synthetic', seed: 1, policy: 'first-fit', dynamics: { enabled: true, overcommit: '1.5' } };
    const reordered = { dynamics: { overcommit: '1.5', enabled: true }, policy: 'first-fit', seed: 1, workload: 'synthetic', unused: undefined };
    expect(cellKey(spec, 's')).toBe(cellKey(reordered, 's'));
    expect(cellKey(spec, 's')).toMatch(/^[0-9a-f]{64}$/);
    expect(cellKey({ ...spec, seed: 2 }, 's')).not.toBe(cellKey(spec, 's'));
    expect(cellKey({ ...spec, dynamics: { enabled: true, overcommit: '2' } }, 's')).not.toBe(cellKey(spec, 's'));
    expect(cellKey(spec, 't')).not.toBe(cellKey(spec, 's'));
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
