/**
 * The scorer network's forward pass in plain JS over a feature row: a stack of dense layers
 * y = act(x·W + b), W stored row-major [inputs][outputs] as tfjs's Dense kernel is, so exported
 * weights are used as they are. The reference the policy's scorer (placement-scorer.ts, which
 * skips the row) is tested against, and what REINFORCE rollouts score their sampled rows with (a
 * tfjs call costs ~50–100 µs of dispatch; this costs Σ inputs·outputs multiply-adds). Float64
 * arithmetic over the Float32 weights (widened once, exactly, at construction) and inputs (widened
 * per call): within 1e-5 of tfjs's float32 result for inputs of order 1 (test/learned-model.test.ts).
 *
 * Every array the loops touch is a Float64Array, so each load site sees one array type (a
 * Float32Array input beside Float64Array activations made V8's loads polymorphic).
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

/** A forward pass with its weights widened and its scratch buffers allocated once (not per call). */
export class MlpForward {
  private readonly w: Float64Array[];
  private readonly b: Float64Array[];
  private readonly ins: Int32Array;
  private readonly outs: Int32Array;
  private readonly relu: Uint8Array;
  /** Activations: layer l reads buf[l] and writes buf[l + 1]; buf[0] holds the widened input. */
  private readonly buf: Float64Array[];

  constructor(readonly layers: readonly DenseLayer[]) {
    this.w = layers.map((l) => Float64Array.from(l.weights));
    this.b = layers.map((l) => Float64Array.from(l.bias));
    this.ins = Int32Array.from(layers.map((l) => l.inputs));
    this.outs = Int32Array.from(layers.map((l) => l.outputs));
    this.relu = Uint8Array.from(layers.map((l) => (l.activation === 'relu' ? 1 : 0)));
    this.buf = [new Float64Array(layers[0]?.inputs ?? 0), ...layers.map((l) => new Float64Array(l.outputs))];
  }

  /** The first output of the network on x[offset .. offset + inputs). */
  score(x: Float32Array, offset: number): number {
    const first = this.buf[0];
    for (let i = 0, n = first.length; i < n; i++) first[i] = x[offset + i];
    for (let l = 0, L = this.w.length; l < L; l++) {
      const inp = this.buf[l];
      const out = this.buf[l + 1];
      const w = this.w[l];
      const inputs = this.ins[l];
      const outputs = this.outs[l];
      out.set(this.b[l]);
      for (let i = 0; i < inputs; i++) {
        const v = inp[i];
        if (v === 0) continue;
        const row = i * outputs;
        for (let j = 0; j < outputs; j++) out[j] += v * w[row + j];
      }
      if (this.relu[l] === 1) for (let j = 0; j < outputs; j++) if (out[j] < 0) out[j] = 0;
    }
    return this.buf[this.w.length][0];
  }
}
