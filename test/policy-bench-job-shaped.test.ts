import { describe, expect, it } from 'vitest';
import { benchPolicies, policySection } from '../bench/policy-bench.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { bestFit } from '../algorithms/classic/best-fit.js';

// Structure only: the figures themselves go to BENCHMARKS.md, never into assertions.
describe('policy benchmark, job-shaped table (tiny sizes)', () => {
  const small = { sizes: [50, 200], placements: 200, warmup: 20, shapes: 2000, policies: [firstFit, bestFit], onProgress: () => {} };

  it('walks the stream once per cell, with and without the score cache', async () => {
    const rows = await benchPolicies({ ...small, modes: [{ order: 'job' }, { order: 'job', scoreCache: false, onlyCached: true }] });
    // first-fit keeps no cache, so it has no cache-off run.
    expect(rows.map((r) => `${r.policy}@${r.nodes}:${r.scoreCache ? 'on' : 'off'}`)).toEqual([
      'first-fit@50:on', 'best-fit@50:on', 'best-fit@50:off', 'first-fit@200:on', 'best-fit@200:on', 'best-fit@200:off',
    ]);
    for (const r of rows) {
      expect(r.order).toBe('job');
      expect(r.placements).toBe(2000 - 20);
      expect(Number.isFinite(r.meanMicros)).toBe(true);
      // Every placement found a node, so every one looked at one at least.
      expect(r.unplaced).toBe(0);
      expect(r.visitsPerPlacement).toBeGreaterThanOrEqual(1);
      if (r.policy === 'first-fit' || !r.scoreCache) expect(r.cacheHits).toBeUndefined();
      // Runs of one shape: the cache answers most job-shaped decisions.
      else expect(r.cacheHits!).toBeGreaterThan(r.placements / 2);
    }
  });

  it('renders both tables, the job-shaped one with the 3× target per row', async () => {
    const md = await policySection(small);
    const lines = md.split('\n');
    expect(lines).toContain('### Random task shapes (the worst case)');
    expect(lines).toContain('### Job-shaped tasks (as a replay sees them, issue 13)');
    const job = lines.slice(lines.indexOf('### Job-shaped tasks (as a replay sees them, issue 13)'));
    expect(job.filter((l) => l.startsWith('| first-fit | none |'))).toHaveLength(1);
    expect(job.filter((l) => l.startsWith('| best-fit | on |') || l.startsWith('| best-fit | off |'))).toHaveLength(2);
    for (const l of job.filter((l) => /^\| (first|best)-fit \|/.test(l))) expect(l).toMatch(/\| (met|\*\*not met\*\*) \/ (met|\*\*not met\*\*) \/ (met|\*\*not met\*\*) \|/);
  });
});
