import { describe, expect, it } from 'vitest';
import { replay } from '../harness/replay.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { allocTaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import { PRICING } from './helpers/tiny-workload.js';

const S = 1e6;

/**
 * A task that waits for a constraint, not for room: "web" requires pod affinity to "db" on the
 * same node, and arrives before any db pod. When db starts (a bind, nothing freed), web must be
 * retried at once, not only when capacity frees.
 */
function affinityWorkload(): Workload {
  const constraints: PlacementConstraints[] = [
    { labels: { app: 'web' }, podAffinity: { required: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    { labels: { app: 'db' } },
  ];
  return {
    name: 'affinity',
    resources: DEFAULT_RESOURCES,
    machines: ['n0', 'n1', 'n2'].map((id) => ({ id, capacity: [4000, 8 * GiB, 0], labels: { 'kubernetes.io/hostname': id } })),
    machineEvents: [],
    jobs: ['web', 'db'],
    users: [],
    notes: [],
    horizon: 100 * S,
    jobConstraints: constraints,
    async *taskBatches() {
      const b = allocTaskBatch(2, 3);
      [0, 1].forEach((job, i) => {
        b.submitTime[i] = job === 0 ? 1 * S : 10 * S;
        b.duration[i] = NaN;
        b.request.set([500, GiB, 0], i * 3);
        b.job[i] = job;
        b.taskIndex[i] = 0;
      });
      yield b;
    },
  };
}

describe('tasks waiting for a constraint', () => {
  it('start as soon as another placement satisfies them', async () => {
    const { result } = await replay({ workload: affinityWorkload(), policy: kubeFramework, seed: 1, pricing: PRICING });
    const t = result.tasks;
    expect(t.start[1]).toBe(10 * S); // db
    expect(t.start[0]).toBe(10 * S); // web, at the same instant, on db's node
    expect(t.node[0]).toBe(t.node[1]);
  });
});
