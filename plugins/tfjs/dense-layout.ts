/**
 * Weight layouts for the tfjs matmuls. torch stores Linear.weight as [out, in]; the tfjs wasm backend only takes
 * its fast path (XNNPACK fully-connected, whose packed weights it caches per weight tensor) for
 * `matMul(x, w)` with w as [in, out] and neither side transposed — `matMul(x, w, false, true)` falls back to a
 * scalar loop. So weights are transposed once here, and the four heads are laid side by side as one [in, Σout]
 * matrix so they cost one matmul and one readback. Pure permutations: no value changes.
 */
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { DenseWeights } from '../../core/mlp-policy.js';

/** A Linear layer as a row-major [inFeatures, outFeatures] matrix plus its bias. */
export interface InOutDense {
  readonly weightT: Float32Array;
  readonly bias: Float32Array;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** The heads fused into one Linear; `offsets[h]` is where head h's logits start in an output row. */
export interface FusedHeads extends InOutDense {
  readonly offsets: Readonly<Record<HeadName, number>>;
}

/** Tile edge for the transpose: a 64×64 float32 tile is 16 KiB, so both sides of a tile stay in L1. */
const TILE = 64;

/** Writes `d.weight` ([out, in]) transposed into `into` ([in, stride]) at column `column`, tile by tile. */
function transposeInto(d: DenseWeights, into: Float32Array, stride: number, column: number): void {
  const { inFeatures, outFeatures, weight } = d;
  for (let o0 = 0; o0 < outFeatures; o0 += TILE) {
    const o1 = Math.min(o0 + TILE, outFeatures);
    for (let i0 = 0; i0 < inFeatures; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, inFeatures);
      for (let o = o0; o < o1; o++) {
        const row = o * inFeatures;
        for (let i = i0; i < i1; i++) into[i * stride + column + o] = weight[row + i];
      }
    }
  }
}

export function toInOut(d: DenseWeights): InOutDense {
  const weightT = new Float32Array(d.inFeatures * d.outFeatures);
  transposeInto(d, weightT, d.outFeatures, 0);
  return { weightT, bias: d.bias, inFeatures: d.inFeatures, outFeatures: d.outFeatures };
}

export function fuseHeads(heads: Readonly<Record<HeadName, DenseWeights>>): FusedHeads {
  const inFeatures = heads[HEAD_NAMES[0]].inFeatures;
  const offsets = {} as Record<HeadName, number>;
  let outFeatures = 0;
  for (const h of HEAD_NAMES) {
    offsets[h] = outFeatures;
    outFeatures += heads[h].outFeatures;
  }
  const weightT = new Float32Array(inFeatures * outFeatures);
  const bias = new Float32Array(outFeatures);
  for (const h of HEAD_NAMES) {
    transposeInto(heads[h], weightT, outFeatures, offsets[h]);
    bias.set(heads[h].bias, offsets[h]);
  }
  return { weightT, bias, inFeatures, outFeatures, offsets };
}
