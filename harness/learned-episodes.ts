import type { PolicyModule } from '../algorithms/policy.js';
import type { EpisodeOutcome, TrainingEnvironment } from '../algorithms/learned/training-environment.js';
import type { Workload } from '../model/workload.js';
import { Rng } from '../model/rng.js';
import { instanceType, loadCatalog } from '../model/instance-catalog.js';
import { openWorkload } from '../workloads/open-workload.js';
import { replay } from './replay.js';

/**
 * The learned placement trainer's environment (algorithms/learned/training-environment.ts) over the
 * simulator: an episode is a replay of one training instance under a policy, scored by nodes used
 * (time-mean busy nodes), tasks pending at the end and tasks killed.
 */
async function episode(workload: Workload, policy: PolicyModule, seed: number): Promise<EpisodeOutcome> {
  const { summary } = await replay({ workload, policy, seed, pricing: { instance: 'training', pricePerHour: 0, region: '', priceDate: '' } });
  const submitted = Math.max(1, summary.tasks.submitted);
  return { nodesUsed: summary.nodes.meanBusy, nodes: summary.nodes.initial, pendingWork: summary.tasks.pendingAtEnd / submitted, evictions: summary.tasks.killed / submitted };
}

/** 20–50, or 30 when both ends are one. */
const span = ([a, b]: [number, number]): string => (a === b ? `${a}` : `${a}–${b}`);

export interface SyntheticInstancesOptions {
  /** Instances available (instance i is generated from seed·10007 + i, so instances differ across seeds). */
  instances: number;
  seed: number;
  /** Node counts, drawn uniformly per instance in [min, max]. */
  nodes: [number, number];
  /** Task counts, drawn uniformly per instance in [min, max]. */
  tasks: [number, number];
  hours: number;
  /** Tasks already running at t = 0 per node (the generator's standing population; default 0): a partly full cluster to pack into. */
  standingPerNode?: number;
  /** Catalog instance type of the nodes (default m5.2xlarge). */
  instance?: string;
}

/**
 * Small synthetic training instances (the embedded generator, workloads/synthetic/): each a few
 * dozen nodes and a few hundred tasks, so a teacher's episode replays in milliseconds. Each
 * instance's workload is generated afresh per episode (a replay consumes its workload).
 */
export function syntheticInstances(o: SyntheticInstancesOptions): TrainingEnvironment {
  const catalog = loadCatalog();
  const inst = instanceType(catalog, o.instance ?? 'm5.2xlarge');
  const shapes = Array.from({ length: o.instances }, (_, i) => {
    const r = new Rng(o.seed * 10007 + i);
    return { seed: o.seed * 10007 + i, nodes: o.nodes[0] + r.int(o.nodes[1] - o.nodes[0] + 1), tasks: o.tasks[0] + r.int(o.tasks[1] - o.tasks[0] + 1) };
  });
  return {
    description: `${o.instances} synthetic instance${o.instances === 1 ? '' : 's'} of ${span(o.nodes)} ${inst.name} nodes, ${span(o.tasks)} tasks over ${o.hours} h (seed ${o.seed})`,
    instances: o.instances,
    async runEpisode(i, policy, seed) {
      const s = shapes[i];
      const workload = await openWorkload({ workload: 'synthetic', seed: s.seed, nodes: s.nodes, tasks: s.tasks, hours: o.hours, instance: inst, region: catalog.region, standing: o.standingPerNode ? Math.round(o.standingPerNode * s.nodes) : 'none' });
      return episode(workload, policy, seed);
    },
  };
}

/**
 * One workload (a trace, opened by the caller) as the single training instance: every episode
 * replays it afresh through `open`.
 */
export function workloadInstance(description: string, open: () => Promise<Workload>): TrainingEnvironment {
  return {
    description,
    instances: 1,
    async runEpisode(_i, policy, seed) {
      return episode(await open(), policy, seed);
    },
  };
}
