import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { ONLINE_PACKING_POLICIES } from '../algorithms/online-packing/index.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';

const WORKLOAD = { seed: 1, nodes: 20, tasks: 2000, hours: 6, instance: { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 } };
const PRICING = { instance: 'm5.2xlarge', pricePerHour: 0.384, region: 'us-east-1', priceDate: '2026-01-01' };

describe('end-to-end replay of a small synthetic workload under every policy', () => {
  it('includes all the online packing policies', () => {
    for (const p of ONLINE_PACKING_POLICIES) expect(BUILTIN_POLICIES).toContain(p);
  });

  for (const policy of BUILTIN_POLICIES) {
    it(`${policy.name}: completes with scheduled + pending = submitted`, async () => {
      const { summary } = await replay({ workload: syntheticWorkload(WORKLOAD), policy, seed: 1, pricing: PRICING });
      const t = summary.tasks;
      expect(summary.policy).toBe(policy.name);
      expect(t.submitted).toBe(2000);
      expect(t.scheduled + t.pendingAtEnd).toBe(t.submitted);
      expect(t.scheduled).toBeGreaterThan(0);
      expect(t.finished + t.runningAtEnd).toBe(t.scheduled);
      expect(t.killed).toBe(0);
    });
  }

  it('is reproducible: the same seed gives the same summary (power-of-2-choices)', async () => {
    const policy = BUILTIN_POLICIES.find((p) => p.name === 'power-of-2-choices')!;
    const run = async () => (await replay({ workload: syntheticWorkload(WORKLOAD), policy, seed: 3, pricing: PRICING })).summary;
    expect(await run()).toEqual(await run());
  });
});
