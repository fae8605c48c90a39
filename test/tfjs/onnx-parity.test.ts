/** tfjs vs onnxruntime on the same full-size weights (d_in 3779, 512/256/128): logits within 1e-5. */
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { silentLogger } from '../../core/logger.js';
import { buildMlpPolicyOnnx } from '../../plugins/onnx/onnx-writer.js';
import { TfjsMlpPolicy } from '../../plugins/tfjs/mlp-policy-tfjs.js';
import { randomMlpPolicyWeights } from '../../plugins/tfjs/random-weights.js';
import { loadTfjsRuntime } from '../../plugins/tfjs/tfjs-runtime.js';

const FULL = { dIn: 3779, dHidden: 512, nLayers: 3, headSizes: { swarm: 2, candidates: 4, minutes: 6, iterations: 5 } };

describe('tfjs ↔ onnx parity on the full-size model', () => {
  it('agrees within 1e-5 on a batch of sparse feature vectors', async () => {
    const weights = randomMlpPolicyWeights(FULL, 77);
    const batch = 8;
    let s = 99;
    const x = Float32Array.from({ length: batch * FULL.dIn }, () =>
      (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 < 0.03 ? 1 : 0,
    );
    const { tf } = await loadTfjsRuntime(silentLogger);
    const model = new TfjsMlpPolicy(tf, weights);
    const ours = await model.forward(x, batch);
    model.dispose();
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(buildMlpPolicyOnnx(weights), { intraOpNumThreads: 1 });
    const result = await session.run({ input: new ort.Tensor('float32', x, [batch, FULL.dIn]) });
    let max = 0;
    let spread = 0;
    for (const h of HEAD_NAMES) {
      const theirs = result[h].data as Float32Array;
      const width = FULL.headSizes[h];
      ours.forEach((l, i) =>
        l[h].forEach((v, j) => {
          max = Math.max(max, Math.abs(v - theirs[i * width + j]));
          spread = Math.max(spread, Math.abs(v));
        }),
      );
    }
    await session.release();
    expect(spread).toBeGreaterThan(0.01); // the logits are not trivially zero
    expect(max).toBeLessThan(1e-5);
  });
});
