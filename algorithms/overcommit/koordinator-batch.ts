import { PriorityBand } from '../../model/priority-bands.js';
import type { OvercommitModule, OvercommitPolicy, OvercommitTask } from './overcommit-policy.js';
import { numberSettings, type NumberSetting } from './overcommit-settings.js';
import { requestOrZero } from './task-limit.js';

/**
 * Koordinator batch resources (koord-manager's slo-controller, batch resource plugin; Koordinator
 * docs "Batch resource overcommitment" and the colocation-config of slo-controller-config;
 * ../shared/docs/models.md § Overcommit): best-effort work is admitted against what the
 * high-priority pods leave unused, recomputed from usage:
 *
 *   batchAllocatable = capacity × threshold% − system reserved − Σ usage(high-priority tasks), ≥ 0
 *
 * (Koordinator: `nodeCapacity × thresholdRatio − systemUsed − podHPUsed`, documented as
 * `nodeAllocatable × thresholdPercent − podUsage(HP) − systemUsage`; system usage is not simulated,
 * so it is the node's reservation, capacity − allocatable, which Koordinator takes as the floor of
 * systemUsed). A high-priority task with no usage known yet counts its request, as Koordinator
 * counts a pod without metrics. Thresholds: koord-manager's defaults `cpuReclaimThresholdPercent`
 * 60 and `memoryReclaimThresholdPercent` 65; settings `koordinator:cpu=65,memory=65`.
 * Dimensions other than cpu and memory have no batch tier in Koordinator: there batch tasks get
 * allocatable − Σ requests of the high-priority tasks (no overcommit).
 *
 * Which tasks run on batch resources: bands Free and BestEffortBatch (model/priority-bands.ts).
 * Koordinator puts a pod on batch resources by its priority class (koord-batch, koord-free) — a
 * priority tier, which is what the bands are; the Kubernetes BestEffort QoS class is not the test,
 * since a BestEffort pod requests nothing and would be admitted anywhere whatever batch
 * allocatable says.
 */
const SETTINGS = {
  cpu: { value: 60, min: 0, max: 100, exclusiveMin: true, expected: 'a percentage in (0, 100]' },
  memory: { value: 65, min: 0, max: 100, exclusiveMin: true, expected: 'a percentage in (0, 100]' },
} satisfies Record<string, NumberSetting>;

export function usesKoordinatorBatch(task: OvercommitTask): boolean {
  return task.band === PriorityBand.Free || task.band === PriorityBand.BestEffortBatch;
}

export function koordinatorPolicy(spec: string, settings: string | undefined, resources: readonly string[]): OvercommitPolicy {
  const s = numberSettings(spec, settings, SETTINGS);
  const cpu = resources.indexOf('cpu');
  const memory = resources.indexOf('memory');
  const threshold = resources.map((_, d) => (d === cpu ? s.cpu / 100 : d === memory ? s.memory / 100 : NaN));
  return {
    name: settings === undefined ? 'koordinator' : `koordinator:${settings}`,
    usesBatch: usesKoordinatorBatch,
    batchAllocatable(node, out) {
      const D = node.dims;
      for (let d = 0; d < D; d++) {
        out[d] = Number.isNaN(threshold[d]) ? node.allocatable[d] : node.capacity[d] * threshold[d] - (node.capacity[d] - node.allocatable[d]);
      }
      for (let i = 0; i < node.taskCount; i++) {
        const id = node.tasks[i];
        const task = node.task(id);
        if (usesKoordinatorBatch(task)) continue;
        for (let d = 0; d < D; d++) {
          if (Number.isNaN(threshold[d])) {
            out[d] -= requestOrZero(task, d);
          } else {
            const u = node.usage(id, d, node.step);
            out[d] -= Number.isNaN(u) ? requestOrZero(task, d) : u;
          }
        }
      }
      for (let d = 0; d < D; d++) if (!(out[d] > 0)) out[d] = 0;
    },
  };
}

export const koordinatorBatch: OvercommitModule = {
  name: 'koordinator',
  description: 'Koordinator batch resources: free and best-effort-batch tasks use capacity × threshold% − reserved − usage of high-priority tasks (koordinator:cpu=60,memory=65)',
  create: (settings, resources) => koordinatorPolicy(settings === undefined ? 'koordinator' : `koordinator:${settings}`, settings, resources),
};
