import { describe, expect, it } from 'vitest';
import { benchPolicies, policySection } from '../bench/policy-bench.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { nextFit } from '../algorithms/online-packing/next-fit.js';
import { borgHybrid } from '../algorithms/online-packing/borg-hybrid.js';
import { powerOfTwoChoices } from '../algorithms/online-packing/power-of-k.js';

// Structure only: the figures themselves go to BENCHMARKS.md, never into assertions.
describe('policy benchmark (tiny sizes)', () => {
  const small = {
    sizes: [50, 200], placements: 200, warmup: 20, shapes: 2000,
    policies: [firstFit, nextFit, borgHybrid, powerOfTwoChoices],
    onProgress: () => {},
  };

  it('times every policy at every size and keeps occupancy at the target', async () => {
    const rows = await benchPolicies(small);
    expect(rows.map((r) => `${r.policy}@${r.nodes}`)).toEqual(
      [50, 200].flatMap((n) => small.policies.map((p) => `${p.name}@${n}`)),
    );
    for (const r of rows) {
      expect(r.placements).toBe(200);
      expect(Number.isFinite(r.microsPerPlacement)).toBe(true);
      expect(r.occupancy).toBeLessThanOrEqual(0.65);
      expect(r.occupancy).toBeGreaterThan(0.5);
    }
  });

  it('renders the markdown section with one row per policy', async () => {
    const md = await policySection(small);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Online policies (issue 4)');
    expect(md).toContain('| policy | µs at 50 | µs at 200 | ratio 200 / 50 | unplaced at 200 |');
    for (const p of small.policies) expect(lines.some((l) => l.startsWith(`| ${p.name} |`))).toBe(true);
  });
});
