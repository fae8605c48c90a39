import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { silentLogger } from '../../core/logger.js';
import { TfjsMlpPolicy } from '../../plugins/tfjs/mlp-policy-tfjs.js';
import { randomMlpPolicyWeights } from '../../plugins/tfjs/random-weights.js';
import { loadTfjsRuntime } from '../../plugins/tfjs/tfjs-runtime.js';
import { SMALL_DIMS } from './tfjs-fixtures.js';

describe('TfjsMlpPolicy', () => {
  it('keeps one weight and one bias tensor per matmul, leaks none per forward, and frees them on dispose', async () => {
    const { tf } = await loadTfjsRuntime(silentLogger);
    const before = tf.memory().numTensors;
    const model = new TfjsMlpPolicy(tf, randomMlpPolicyWeights(SMALL_DIMS, 3));
    // n_layers trunk matmuls plus one for the four heads together
    expect(tf.memory().numTensors - before).toBe(2 * (SMALL_DIMS.nLayers + 1));
    const x = Float32Array.from({ length: 5 * SMALL_DIMS.dIn }, (_, i) => Math.cos(i));
    const rows = await model.forward(x, 5);
    expect(tf.memory().numTensors - before).toBe(2 * (SMALL_DIMS.nLayers + 1));
    expect(rows).toHaveLength(5);
    for (const r of rows) for (const h of HEAD_NAMES) expect(r[h]).toHaveLength(SMALL_DIMS.headSizes[h]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives each row of a batch the logits it gets alone', async () => {
    const { tf } = await loadTfjsRuntime(silentLogger);
    const model = new TfjsMlpPolicy(tf, randomMlpPolicyWeights(SMALL_DIMS, 4));
    const x = Float32Array.from({ length: 4 * SMALL_DIMS.dIn }, (_, i) => Math.sin(i * 0.37));
    const batched = await model.forward(x, 4);
    for (let i = 0; i < 4; i++) {
      const [alone] = await model.forward(x.slice(i * SMALL_DIMS.dIn, (i + 1) * SMALL_DIMS.dIn), 1);
      for (const h of HEAD_NAMES) alone[h].forEach((v, j) => expect(Math.abs(v - batched[i][h][j])).toBeLessThan(1e-6));
    }
    model.dispose();
  });
});
