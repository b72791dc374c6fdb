import type { LoadedTf } from './tf-backend.js';
import type { CandidateSets } from './candidate-sets.js';
import { FEATURE_COUNT } from './placement-features.js';

type Tf = LoadedTf['tf'];
type Sequential = ReturnType<Tf['sequential']>;
type Optimizer = ReturnType<Tf['train']['adam']>;

/** Additive mask of a padded candidate slot: exp(−1e9) = 0 in float32, so pads take no probability. */
const PAD = -1e9;

/** The samples as a padded batch: B sets of C rows (features), the mask of real rows, the chosen one-hot. */
function padded(sets: CandidateSets, samples: ArrayLike<number>) {
  const B = samples.length;
  const C = sets.widest(samples);
  const x = new Float32Array(B * C * FEATURE_COUNT);
  const mask = new Float32Array(B * C).fill(PAD);
  const onehot = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    const s = samples[b];
    const c = sets.candidates(s);
    const from = sets.start[s] * FEATURE_COUNT;
    x.set(sets.features.subarray(from, from + c * FEATURE_COUNT), b * C * FEATURE_COUNT);
    mask.fill(0, b * C, b * C + c);
    onehot[b * C + sets.chosen[s]] = 1;
  }
  return { B, C, x, mask, onehot };
}

/**
 * One gradient step of a weighted listwise loss over candidate sets:
 *   L = Σ_s w_s · −log softmax(f(x_s,1..c_s))[a_s]
 * the softmax cross-entropy of the chosen candidate a_s among the sample's c_s candidates (a
 * ListNet-style top-one loss, Cao et al., ICML'07). Imitation uses w_s = 1/B (mean cross-entropy);
 * REINFORCE uses w_s = advantage/steps, making −L's gradient the policy gradient Σ A ∇log π(a|s)
 * (Williams 1992). Candidate sets are padded to the widest with masked slots. Returns L.
 */
export function listwiseStep(tf: Tf, model: Sequential, optimizer: Optimizer, sets: CandidateSets, samples: ArrayLike<number>, weights: Float32Array): number {
  const { B, C, x, mask, onehot } = padded(sets, samples);
  const loss = tf.tidy(() => {
    const xs = tf.tensor2d(x, [B * C, FEATURE_COUNT]);
    const m = tf.tensor2d(mask, [B, C]);
    const y = tf.tensor2d(onehot, [B, C]);
    const w = tf.tensor1d(weights.subarray(0, B));
    const value = optimizer.minimize(() => {
      const logits = (model.apply(xs) as ReturnType<Tf['tensor']>).reshape([B, C]).add(m);
      const ce = tf.logSoftmax(logits).mul(y).sum(1).neg();
      return ce.mul(w).sum() as ReturnType<Tf['scalar']>;
    }, true);
    return value!.dataSync()[0];
  });
  return loss;
}

/** The same loss without a step (evaluation): mean cross-entropy of the chosen candidates. */
export function listwiseLoss(tf: Tf, model: Sequential, sets: CandidateSets, samples: ArrayLike<number>): number {
  const { B, C, x, mask, onehot } = padded(sets, samples);
  return tf.tidy(() => {
    // apply, not predict: predict feeds 32-row slices, and the wasm slice kernel copies its whole input each time.
    const logits = (model.apply(tf.tensor2d(x, [B * C, FEATURE_COUNT])) as ReturnType<Tf['tensor']>).reshape([B, C]).add(tf.tensor2d(mask, [B, C]));
    return tf.logSoftmax(logits).mul(tf.tensor2d(onehot, [B, C])).sum(1).neg().mean().dataSync()[0];
  });
}
