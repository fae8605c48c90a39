/**
 * The spec MLPPolicy forward pass in tfjs ops, float32 throughout: Linear (x·Wᵀ + b), LayerNorm exactly as torch
 * (biased variance, `(x - mean) / sqrt(var + 1e-5) * w + b`), ReLU; Dropout is the identity at inference; four heads.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import { LAYER_NORM_EPS, type DenseWeights, type MlpPolicyWeights } from '../../core/mlp-policy.js';
import type { Tf } from './tfjs-runtime.js';

interface DenseTensors {
  readonly weight: TfCore.Tensor2D;
  readonly bias: TfCore.Tensor1D;
}

export class TfjsMlpPolicy {
  private readonly trunk: Array<DenseTensors & { lnWeight: TfCore.Tensor1D; lnBias: TfCore.Tensor1D }>;
  private readonly heads: Record<HeadName, DenseTensors>;
  readonly dIn: number;

  constructor(
    private readonly tf: Tf,
    weights: MlpPolicyWeights,
  ) {
    this.dIn = weights.dims.dIn;
    const dense = (d: DenseWeights): DenseTensors => ({
      weight: tf.tensor2d(d.weight, [d.outFeatures, d.inFeatures], 'float32'),
      bias: tf.tensor1d(d.bias, 'float32'),
    });
    this.trunk = weights.trunk.map((b) => ({
      ...dense(b.linear),
      lnWeight: tf.tensor1d(b.lnWeight, 'float32'),
      lnBias: tf.tensor1d(b.lnBias, 'float32'),
    }));
    this.heads = Object.fromEntries(HEAD_NAMES.map((h) => [h, dense(weights.heads[h])])) as Record<
      HeadName,
      DenseTensors
    >;
  }

  private linear(x: TfCore.Tensor2D, d: DenseTensors): TfCore.Tensor2D {
    return this.tf.add(this.tf.matMul(x, d.weight, false, true), d.bias);
  }

  private layerNorm(x: TfCore.Tensor2D, w: TfCore.Tensor1D, b: TfCore.Tensor1D): TfCore.Tensor2D {
    const tf = this.tf;
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, LAYER_NORM_EPS))), w), b);
  }

  /** One forward pass over a row-major [batch, dIn] float32 buffer; one `HeadLogits` per row. */
  async forward(data: Float32Array, batch: number): Promise<HeadLogits[]> {
    const tf = this.tf;
    const outputs = tf.tidy(() => {
      let h = tf.tensor2d(data, [batch, this.dIn], 'float32');
      for (const block of this.trunk) h = tf.relu(this.layerNorm(this.linear(h, block), block.lnWeight, block.lnBias));
      return HEAD_NAMES.map((name) => this.linear(h, this.heads[name]));
    });
    try {
      const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
      return Array.from({ length: batch }, (_, i) => {
        const entries = HEAD_NAMES.map((name, k) => {
          const width = outputs[k].shape[1];
          return [name, values[k].slice(i * width, (i + 1) * width)];
        });
        return Object.fromEntries(entries) as HeadLogits;
      });
    } finally {
      tf.dispose(outputs);
    }
  }

  dispose(): void {
    this.tf.dispose([
      ...this.trunk.flatMap((b) => [b.weight, b.bias, b.lnWeight, b.lnBias]),
      ...HEAD_NAMES.flatMap((h) => [this.heads[h].weight, this.heads[h].bias]),
    ]);
  }
}
