import type { PolicyModule } from '../policy.js';

/** What one simulated episode (a replay of one training instance) scored. */
export interface EpisodeOutcome {
  /** Nodes that ran something, time-mean over the episode (the packing objective). */
  nodesUsed: number;
  /** Nodes in the cluster, to put nodesUsed on a 0–1 scale. */
  nodes: number;
  /** Tasks still pending at the end, as a fraction of the tasks submitted. */
  pendingWork: number;
  /** Tasks evicted or killed by the cluster, as a fraction of the tasks submitted. */
  evictions: number;
}

/**
 * Where training episodes run. algorithms/ may not import the simulator, so the trainer is handed
 * this (harness/learned-episodes.ts builds it over the simulator and the synthetic generator or a
 * trace): `instances` training instances, instance i replayed under any policy from a seed.
 */
export interface TrainingEnvironment {
  /** One line: what the instances are (goes into the model's training metadata). */
  readonly description: string;
  readonly instances: number;
  runEpisode(instance: number, policy: PolicyModule, seed: number): Promise<EpisodeOutcome>;
}

/** Reward weights of REINFORCE: R = −nodesUsed/nodes − α·pendingWork − β·evictions. */
export interface RewardWeights {
  alpha: number;
  beta: number;
}

export function reward(o: EpisodeOutcome, w: RewardWeights): number {
  return -(o.nodes > 0 ? o.nodesUsed / o.nodes : 0) - w.alpha * o.pendingWork - w.beta * o.evictions;
}
