import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticInstances } from '../harness/learned-episodes.js';
import { trainPlacement, type PlacementTrainingOptions } from '../algorithms/learned/train-placement.js';
import { loadTf } from '../algorithms/learned/tf-backend.js';
import { schedlab } from './helpers/cli.js';

/** Tiny instances: a teacher episode replays in tens of milliseconds. */
const env = () => syntheticInstances({ instances: 2, seed: 4, nodes: [12, 16], tasks: [80, 120], hours: 0.5, standingPerNode: 2 });
const tiny: PlacementTrainingOptions = { seed: 7, episodes: 4, rollouts: 2, imitationInstances: 2, epochs: 6 };

describe('learned placement training', () => {
  it('a tiny run reduces the imitation loss, and the same seed gives the same weights (wasm)', async () => {
    const a = await trainPlacement(env(), tiny);
    const im = a.curve.filter((r) => r.phase === 'imitation');
    expect(im).toHaveLength(tiny.epochs + 1);
    // Measurably: at least a quarter below the untrained network's cross-entropy.
    expect(im[im.length - 1].loss).toBeLessThan(0.75 * im[0].loss);
    expect(a.curve.filter((r) => r.phase === 'reinforce').map((r) => r.step)).toEqual([2, 4]);
    expect(a.model.training.backend).toBe((await loadTf()).backend);
    const b = await trainPlacement(env(), tiny);
    expect(b.curve).toEqual(a.curve);
    a.model.layers.forEach((l, k) => {
      expect(Array.from(b.model.layers[k].weights)).toEqual(Array.from(l.weights));
      expect(Array.from(b.model.layers[k].bias)).toEqual(Array.from(l.bias));
    });
    // Another seed, other weights (the check above could not pass by ignoring the seed).
    const c = await trainPlacement(env(), { ...tiny, seed: 8, episodes: 0 });
    expect(Array.from(c.model.layers[0].weights)).not.toEqual(Array.from(a.model.layers[0].weights));
  }, 60_000);

  it('schedlab train placement writes model.json, training.csv and the charts; bad options exit 2 naming the option', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-train-')), 'model');
    const base = { '--out': out, '--instances': '1', '--epochs': '2', '--episodes': '2', '--rollouts': '2', '--nodes': '10-12', '--tasks': '60', '--hours': '0.5', '--hidden': '5,3' };
    const argv = (over: Record<string, string> = {}, ...flags: string[]) => ['train', 'placement', ...Object.entries({ ...base, ...over }).flat(), '--quiet', ...flags];
    const args = argv();
    const r = schedlab(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trained on the (wasm|tensorflow) backend/);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.format).toBe('schedlab-learned-placement');
    expect(model.training.episodes).toBe(2);
    expect(model.layers.map((l: { outputs: number }) => l.outputs)).toEqual([5, 3, 1]);
    expect(model.training.network.hidden).toEqual([5, 3]);
    const csv = readFileSync(join(out, 'training.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('phase,step,loss,reward');
    expect(csv.filter((l) => l.startsWith('imitation,'))).toHaveLength(3);
    expect(csv.filter((l) => l.startsWith('reinforce,'))).toHaveLength(1);
    for (const f of ['training-curve-imitation.svg', 'training-curve-reinforce.png']) expect(readFileSync(join(out, f)).length).toBeGreaterThan(100);
    const used = schedlab(['replay', '--policy', `learned:${out}`, '--nodes', '20', '--tasks', '200', '--hours', '1', '--json']);
    expect(used.code).toBe(0);
    expect(JSON.parse(used.stdout).policy).toBe('learned');
    expect(schedlab(args).stderr).toMatch(/--out: .* already holds a model; give --force/);
    for (const [bad, re] of [
      [{ '--episodes': '-3' }, /^schedlab: --episodes:/],
      [{ '--rollouts': '1' }, /^schedlab: --rollouts: expected an integer from 2/],
      [{ '--nodes': '50-20' }, /^schedlab: --nodes: expected a whole number or a range/],
      [{ '--hidden': '0' }, /^schedlab: --hidden: expected one to four comma-separated layer widths from 1 to 256 .*got '0'$/],
      [{ '--hidden': '8,,4' }, /^schedlab: --hidden: expected one to four/],
      [{ '--hidden': '8,4,4,4,4' }, /^schedlab: --hidden: expected one to four/],
      [{ '--episodes': '3', '--rollouts': '4' }, /^schedlab: --episodes: 3 is fewer than one update of 4 rollouts/],
    ] as const) {
      const e = schedlab(argv(bad, '--force'));
      expect(e.code, JSON.stringify(bad)).toBe(2);
      expect(e.stderr.trim()).toMatch(re);
    }
  }, 60_000);
});
