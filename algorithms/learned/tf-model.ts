import type { LoadedTf } from './tf-backend.js';
import type { DenseLayer } from './mlp.js';

type Tf = LoadedTf['tf'];
type Sequential = ReturnType<Tf['sequential']>;

/**
 * Hidden layer widths of the default scorer: F → 8 → 1, ReLU. Each first-layer unit costs 8–11
 * multiply-adds per scored node (placement-scorer.ts): at 8 units a node costs about 3–4× best-fit's
 * score; 16 → 8 (the first shipped model) was no better on the evaluation (README § Learned placement).
 */
export const DEFAULT_HIDDEN = [8] as const;

/**
 * The scorer as a tfjs Sequential of Dense layers (ReLU hidden, linear output), Glorot-uniform
 * kernels seeded `seed + layer` and zero biases, so the initial weights depend on the seed alone.
 */
export function buildScorer(tf: Tf, inputs: number, hidden: readonly number[], seed: number): Sequential {
  const model = tf.sequential();
  const widths = [...hidden, 1];
  widths.forEach((units, k) => {
    model.add(
      tf.layers.dense({
        units,
        activation: k < widths.length - 1 ? 'relu' : 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }),
        biasInitializer: 'zeros',
        ...(k === 0 ? { inputShape: [inputs] } : {}),
      }),
    );
  });
  return model;
}

/** The model's weights as plain layers (copies), for the JS forward pass and the model file. */
export function exportLayers(model: Sequential): DenseLayer[] {
  return model.layers.map((layer, k) => {
    const [kernel, bias] = layer.getWeights();
    const [inputs, outputs] = kernel.shape as [number, number];
    return {
      inputs,
      outputs,
      activation: k < model.layers.length - 1 ? 'relu' : 'linear',
      weights: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
    };
  });
}

/** Sets a Sequential's weights from plain layers of the same sizes (a saved model, back into tfjs). */
export function importLayers(tf: Tf, model: Sequential, layers: readonly DenseLayer[]): void {
  tf.tidy(() => {
    model.layers.forEach((layer, k) => {
      const l = layers[k];
      layer.setWeights([tf.tensor2d(l.weights, [l.inputs, l.outputs]), tf.tensor1d(l.bias)]);
    });
  });
}
