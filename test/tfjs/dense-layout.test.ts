import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import type { DenseWeights } from '../../core/mlp-policy.js';
import { fuseHeads, toInOut } from '../../plugins/tfjs/dense-layout.js';

/** A torch-layout [out, in] Linear whose every weight is distinct, so a misplaced value cannot go unnoticed. */
function dense(outFeatures: number, inFeatures: number, seed = 0): DenseWeights {
  return {
    weight: Float32Array.from({ length: outFeatures * inFeatures }, (_, k) => seed * 1e6 + k),
    bias: Float32Array.from({ length: outFeatures }, (_, o) => -(seed * 1e3 + o)),
    outFeatures,
    inFeatures,
  };
}

describe('dense layout', () => {
  it('transposes [out, in] to [in, out] exactly, across partial tiles', () => {
    for (const [out, inp] of [
      [1, 1],
      [3, 200],
      [130, 70],
      [512, 64],
    ]) {
      const d = dense(out, inp);
      const t = toInOut(d);
      expect([t.inFeatures, t.outFeatures, t.weightT.length]).toEqual([inp, out, out * inp]);
      const want = new Float32Array(out * inp);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) want[i * out + o] = d.weight[o * inp + i];
      expect(t.weightT).toEqual(want);
      expect(t.bias).toEqual(d.bias);
    }
  });

  it('lays the heads side by side in HEAD_NAMES order with their biases', () => {
    const sizes = { swarm: 2, candidates: 4, minutes: 6, iterations: 5 };
    const heads = Object.fromEntries(HEAD_NAMES.map((h, k) => [h, dense(sizes[h], 33, k + 1)])) as Record<
      (typeof HEAD_NAMES)[number],
      DenseWeights
    >;
    const f = fuseHeads(heads);
    expect(f.outFeatures).toBe(17);
    expect(f.inFeatures).toBe(33);
    expect(f.offsets).toEqual({ swarm: 0, candidates: 2, minutes: 6, iterations: 12 });
    for (const h of HEAD_NAMES) {
      const d = heads[h];
      for (let o = 0; o < d.outFeatures; o++) {
        expect(f.bias[f.offsets[h] + o]).toBe(d.bias[o]);
        for (let i = 0; i < 33; i++) expect(f.weightT[i * 17 + f.offsets[h] + o]).toBe(d.weight[o * 33 + i]);
      }
    }
  });
});
