import { shuffleInPlace, type Rng } from '../../model/rng.js';
import type { PolicyModule } from '../policy.js';
import { CandidateSets } from './candidate-sets.js';
import { recordingPolicy } from './training-policies.js';
import type { EpisodeOutcome, TrainingEnvironment } from './training-environment.js';
import type { LoadedTf } from './tf-backend.js';
import { listwiseLoss, listwiseStep } from './listwise-loss.js';

type Tf = LoadedTf['tf'];
type Sequential = ReturnType<Tf['sequential']>;

/** The teachers' decisions on the imitation instances, and which teacher won each. */
export interface TeacherSamples {
  sets: CandidateSets;
  /** Teacher name → instances it won. */
  wins: Record<string, number>;
}

/** Is a better than b by nodes used (then pending work, then evictions)? */
function better(a: EpisodeOutcome, b: EpisodeOutcome): boolean {
  if (a.nodesUsed !== b.nodesUsed) return a.nodesUsed < b.nodesUsed;
  if (a.pendingWork !== b.pendingWork) return a.pendingWork < b.pendingWork;
  return a.evictions < b.evictions;
}

/**
 * Plays every teacher on instances 0..count−1 (seed `seed + i`), recording each one's candidate
 * sets, and keeps per instance the decisions of the teacher that used the fewest nodes (ties: the
 * earlier teacher): imitation of the best heuristic per instance.
 */
export async function teacherSamples(env: TrainingEnvironment, teachers: readonly PolicyModule[], count: number, seed: number, rng: Rng): Promise<TeacherSamples> {
  const all = new CandidateSets();
  const wins: Record<string, number> = Object.fromEntries(teachers.map((t) => [t.name, 0]));
  for (let i = 0; i < count; i++) {
    let best: { sets: CandidateSets; outcome: EpisodeOutcome; name: string } | undefined;
    for (const t of teachers) {
      const sets = new CandidateSets();
      const outcome = await env.runEpisode(i, recordingPolicy(t, sets, i, rng.fork(i * 97 + teachers.indexOf(t))), seed + i);
      if (best === undefined || better(outcome, best.outcome)) best = { sets, outcome, name: t.name };
    }
    all.append(best!.sets);
    wins[best!.name]++;
  }
  return { sets: all, wins };
}

export interface ImitationOptions {
  epochs: number;
  batchSize: number;
  /** Called after each epoch with the mean cross-entropy over all samples (epoch 0: before training). */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Listwise imitation: minibatch Adam steps on the softmax cross-entropy of the teacher's choice over
 * each candidate set (listwise-loss.ts), samples shuffled each epoch with `rng` (Fisher–Yates).
 * Returns the loss after each epoch, index 0 = before the first.
 */
export function imitate(tf: Tf, model: Sequential, optimizer: ReturnType<Tf['train']['adam']>, sets: CandidateSets, rng: Rng, o: ImitationOptions): number[] {
  const order = Int32Array.from({ length: sets.size }, (_, i) => i);
  const all = order.slice();
  const weights = new Float32Array(o.batchSize);
  const losses = [sets.size > 0 ? listwiseLoss(tf, model, sets, all) : Number.NaN];
  o.onEpoch?.(0, losses[0]);
  if (sets.size === 0) return losses;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let from = 0; from < order.length; from += o.batchSize) {
      const batch = order.subarray(from, Math.min(order.length, from + o.batchSize));
      weights.fill(1 / batch.length);
      listwiseStep(tf, model, optimizer, sets, batch, weights);
    }
    losses.push(listwiseLoss(tf, model, sets, all));
    o.onEpoch?.(epoch, losses[epoch]);
  }
  return losses;
}
