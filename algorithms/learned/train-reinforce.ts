import type { Rng } from '../../model/rng.js';
import { CandidateSets } from './candidate-sets.js';
import { MlpForward } from './mlp.js';
import { samplingPolicy, type NetHolder } from './training-policies.js';
import { reward, type RewardWeights, type TrainingEnvironment } from './training-environment.js';
import type { LoadedTf } from './tf-backend.js';
import { listwiseStep } from './listwise-loss.js';
import { exportLayers } from './tf-model.js';

type Tf = LoadedTf['tf'];
type Sequential = ReturnType<Tf['sequential']>;

export interface ReinforceOptions {
  /** Episodes in all (rounded down to whole updates). */
  episodes: number;
  /** Rollouts per update, all on one instance, so the mean baseline is that instance's. */
  rollouts: number;
  reward: RewardWeights;
  /** Seed of instance replays (instance i replays from seed + i). */
  seed: number;
  /** After each update: episodes so far, surrogate loss, mean reward of its rollouts. */
  onUpdate?: (episodes: number, loss: number, meanReward: number) => void;
}

/**
 * REINFORCE with a mean baseline (Williams 1992; as DeepRM trains, Mao et al., HotNets'16 §3.3):
 * per update, `rollouts` episodes of one instance (cycling through the environment's instances)
 * under the softmax policy over the current scores (training-policies.ts samplingPolicy, draws
 * from `rng`), reward R_k per episode (training-environment.ts), advantage
 * A_k = (R_k − mean R) / (std R + 1e-6) (scaled so one learning rate suits any reward scale), then
 * one Adam step on −Σ_k A_k Σ_t log π(a_t | s_t) / steps. Returns the mean reward per update.
 */
export async function reinforce(tf: Tf, model: Sequential, optimizer: ReturnType<Tf['train']['adam']>, env: TrainingEnvironment, rng: Rng, o: ReinforceOptions): Promise<number[]> {
  const updates = Math.floor(o.episodes / o.rollouts);
  const means: number[] = [];
  const holder: NetHolder = { net: new MlpForward(exportLayers(model)) };
  for (let u = 0; u < updates; u++) {
    const instance = u % env.instances;
    holder.net = new MlpForward(exportLayers(model));
    const sets = new CandidateSets();
    const rewards: number[] = [];
    for (let k = 0; k < o.rollouts; k++) {
      const outcome = await env.runEpisode(instance, samplingPolicy(holder, sets, k, rng.fork(u * 1009 + k)), o.seed + instance);
      rewards.push(reward(outcome, o.reward));
    }
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const sd = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / rewards.length);
    const weights = new Float32Array(sets.size);
    for (let s = 0; s < sets.size; s++) weights[s] = (rewards[sets.episode[s]] - mean) / (sd + 1e-6) / Math.max(1, sets.size);
    const samples = Int32Array.from({ length: sets.size }, (_, i) => i);
    const loss = sets.size > 0 ? listwiseStep(tf, model, optimizer, sets, samples, weights) : 0;
    means.push(mean);
    o.onUpdate?.((u + 1) * o.rollouts, loss, mean);
  }
  return means;
}
