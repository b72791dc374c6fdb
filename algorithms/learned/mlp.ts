/**
 * The scorer network's forward pass in plain JS: a stack of dense layers y = act(x·W + b), W stored
 * row-major [inputs][outputs] as tfjs's Dense kernel is, so exported weights are used as they are.
 * Run per candidate node by the policy (a tfjs call costs ~50–100 µs of dispatch; this costs about
 * Σ inputs·outputs multiply-adds, ~500 for 22 → 16 → 8 → 1). Float64 arithmetic over Float32
 * weights: within 1e-5 of tfjs's float32 result for inputs of order 1 (test/learned-forward.test.ts).
 */
export type Activation = 'relu' | 'linear';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  activation: Activation;
  /** inputs × outputs, row-major: weights[i * outputs + j] connects input i to output j. */
  weights: Float32Array;
  bias: Float32Array;
}

/** A forward pass with its scratch buffers allocated once (not per call). */
export class MlpForward {
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(readonly layers: readonly DenseLayer[]) {
    const widest = Math.max(...layers.map((l) => Math.max(l.inputs, l.outputs)));
    this.a = new Float64Array(widest);
    this.b = new Float64Array(widest);
  }

  /** The first output of the network on x[offset .. offset + inputs). */
  score(x: Float32Array, offset: number): number {
    let inp: Float64Array | Float32Array = x;
    let inOff = offset;
    let out = this.a;
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs, outputs, weights, bias, activation } = this.layers[l];
      for (let j = 0; j < outputs; j++) out[j] = bias[j];
      for (let i = 0; i < inputs; i++) {
        const v = inp[inOff + i];
        if (v === 0) continue;
        const row = i * outputs;
        for (let j = 0; j < outputs; j++) out[j] += v * weights[row + j];
      }
      if (activation === 'relu') for (let j = 0; j < outputs; j++) if (out[j] < 0) out[j] = 0;
      inp = out;
      inOff = 0;
      out = out === this.a ? this.b : this.a;
    }
    return inp[0];
  }
}
