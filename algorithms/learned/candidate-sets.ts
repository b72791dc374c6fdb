import type { Rng } from '../../model/rng.js';
import { FEATURE_COUNT } from './placement-features.js';

/** Most candidates kept per decision for training (a larger feasible set is subsampled, the chosen node kept). */
export const MAX_CANDIDATES = 64;

/**
 * Training samples: one per placement decision, the feature rows of its candidate nodes and which
 * of them was chosen (by the teacher, or drawn by the stochastic policy), plus the episode it came
 * from (REINFORCE weights a sample by its episode's advantage). Grows by doubling; rows are
 * FEATURE_COUNT floats.
 */
export class CandidateSets {
  features = new Float32Array(FEATURE_COUNT * 1024);
  /** Row where sample s starts: rows start[s] .. start[s + 1]. */
  start: number[] = [0];
  chosen: number[] = [];
  episode: number[] = [];

  get size(): number {
    return this.chosen.length;
  }

  get rows(): number {
    return this.start[this.start.length - 1];
  }

  candidates(s: number): number {
    return this.start[s + 1] - this.start[s];
  }

  /** Room for `n` more rows; returns the float offset where the next row goes. */
  reserve(n: number): number {
    const need = (this.rows + n) * FEATURE_COUNT;
    if (need > this.features.length) {
      let len = this.features.length;
      while (len < need) len *= 2;
      const f = new Float32Array(len);
      f.set(this.features);
      this.features = f;
    }
    return this.rows * FEATURE_COUNT;
  }

  /** Closes a sample of `n` rows just written after reserve(). */
  commit(n: number, chosen: number, episode: number): void {
    this.start.push(this.rows + n);
    this.chosen.push(chosen);
    this.episode.push(episode);
  }

  /** Appends every sample of `other` (its episode numbers kept). */
  append(other: CandidateSets): void {
    const at = this.reserve(other.rows);
    this.features.set(other.features.subarray(0, other.rows * FEATURE_COUNT), at);
    const base = this.rows;
    for (let s = 0; s < other.size; s++) {
      this.start.push(base + other.start[s + 1]);
      this.chosen.push(other.chosen[s]);
      this.episode.push(other.episode[s]);
    }
  }

  /** Largest candidate count of the samples listed. */
  widest(samples: ArrayLike<number>): number {
    let c = 1;
    for (let i = 0; i < samples.length; i++) c = Math.max(c, this.candidates(samples[i]));
    return c;
  }
}

/**
 * Picks which of `found` candidates (positions 0..found−1) to keep when there are more than
 * MAX_CANDIDATES: the one at `keep` and a uniform subset of the others (partial Fisher–Yates over
 * `order`, which must hold room for `found`). Returns how many positions `order` starts with.
 */
export function subsample(found: number, keep: number, rng: Rng, order: Int32Array): number {
  for (let i = 0; i < found; i++) order[i] = i;
  if (found <= MAX_CANDIDATES) return found;
  order[keep] = 0;
  order[0] = keep;
  for (let i = 1; i < MAX_CANDIDATES; i++) {
    const j = i + rng.int(found - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return MAX_CANDIDATES;
}
