/**
 * The spec MLPPolicy forward pass on tfjs, float32 throughout: Linear (x·Wᵀ + b) as one fused tfjs matmul+bias
 * per layer on weights kept pre-transposed as persistent tensors (see dense-layout.ts for why), LayerNorm exactly
 * as torch (biased variance, eps 1e-5) and ReLU on the downloaded rows (layer-norm-relu.ts), Dropout the identity
 * at inference, and the four heads as one matmul with one readback.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { HEAD_NAMES } from '../../core/action.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import { LAYER_NORM_EPS, type MlpPolicyWeights } from '../../core/mlp-policy.js';
import { fuseHeads, toInOut, type FusedHeads, type InOutDense } from './dense-layout.js';
import { layerNormRelu } from './layer-norm-relu.js';
import type { Tf } from './tfjs-runtime.js';

interface DenseTensors {
  /** [in, out]. */
  readonly weightT: TfCore.Tensor2D;
  readonly bias: TfCore.Tensor1D;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

interface TrunkBlock extends DenseTensors {
  readonly lnWeight: Float32Array;
  readonly lnBias: Float32Array;
}

export class TfjsMlpPolicy {
  private readonly trunk: TrunkBlock[];
  private readonly heads: DenseTensors;
  private readonly headOffsets: FusedHeads['offsets'];
  readonly dIn: number;

  constructor(
    private readonly tf: Tf,
    weights: MlpPolicyWeights,
  ) {
    this.dIn = weights.dims.dIn;
    this.trunk = weights.trunk.map((b) => ({
      ...this.upload(toInOut(b.linear)),
      lnWeight: b.lnWeight,
      lnBias: b.lnBias,
    }));
    const fused = fuseHeads(weights.heads);
    this.heads = this.upload(fused);
    this.headOffsets = fused.offsets;
    // The first matmul on each weight tensor builds and caches the backend's packed operator (XNNPACK on wasm);
    // do it now so the first prediction does not pay for it.
    this.run(new Float32Array(this.dIn), 1);
  }

  private upload(d: InOutDense): DenseTensors {
    return {
      weightT: this.tf.tensor2d(d.weightT, [d.inFeatures, d.outFeatures], 'float32'),
      bias: this.tf.tensor1d(d.bias, 'float32'),
      inFeatures: d.inFeatures,
      outFeatures: d.outFeatures,
    };
  }

  /** x·W + b for `rows` rows of `x`, read back as a row-major [rows, out] buffer. */
  private linear(x: Float32Array, rows: number, d: DenseTensors): Float32Array {
    const tf = this.tf;
    const y = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d(x, [rows, d.inFeatures], 'float32'), b: d.weightT, bias: d.bias }),
    );
    try {
      return y.dataSync() as Float32Array;
    } finally {
      y.dispose();
    }
  }

  /** The whole network on a row-major [rows, dIn] buffer; returns the fused head logits, [rows, Σ head sizes]. */
  private run(data: Float32Array, rows: number): Float32Array {
    let h = data;
    for (const b of this.trunk) {
      h = layerNormRelu(this.linear(h, rows, b), rows, b.outFeatures, b.lnWeight, b.lnBias, LAYER_NORM_EPS);
    }
    return this.linear(h, rows, this.heads);
  }

  /** One forward pass over a row-major [batch, dIn] float32 buffer; one `HeadLogits` per row. */
  async forward(data: Float32Array, batch: number): Promise<HeadLogits[]> {
    const logits = this.run(data, batch);
    const width = this.heads.outFeatures;
    return Array.from({ length: batch }, (_, i) => {
      const entries = HEAD_NAMES.map((name, k) => {
        const start = i * width + this.headOffsets[name];
        const end = k + 1 < HEAD_NAMES.length ? i * width + this.headOffsets[HEAD_NAMES[k + 1]] : (i + 1) * width;
        return [name, logits.slice(start, end)];
      });
      return Object.fromEntries(entries) as HeadLogits;
    });
  }

  dispose(): void {
    this.tf.dispose([...this.trunk, this.heads].flatMap((d) => [d.weightT, d.bias]));
  }
}
