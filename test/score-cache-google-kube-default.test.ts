import { describe, expect, it } from 'vitest';
import { DATA, expectGoogleExact, present } from './helpers/score-cache-runs.js';

if (!present) console.warn(`score-cache Google 2011 exactness test skipped: ${DATA} is absent (see ../shared/data/README.md)`);

describe('score cache exactness on the Google 2011 window (12.5k machines, 936k tasks)', () => {
  it.skipIf(!present)('kube-default: cache and indexed pass place every task as neither does', async () => {
    const { summary } = await expectGoogleExact('kube-default');
    // The default replay of the window under kube-default (this run is it): every submission seen,
    // each scheduled, pending or killed, and the cell well used.
    expect(summary.tasks.submitted).toBe(936_182);
    expect(summary.tasks.scheduled + summary.tasks.pendingAtEnd + summary.events.kill).toBeGreaterThanOrEqual(936_182 - 29_554);
    expect(summary.utilization.requested.cpu.mean).toBeGreaterThan(0.5);
    expect(summary.utilization.requested.cpu.mean).toBeLessThanOrEqual(1);
  }, 600_000);
});
