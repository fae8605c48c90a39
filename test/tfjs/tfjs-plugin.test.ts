import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import type { BackendSession } from '../../core/backend/plugin.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { createMemoryLogger, silentLogger } from '../../core/logger.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { tfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';
import { randomMlpPolicyWeights } from '../../plugins/tfjs/random-weights.js';
import { expectedInputs, fixture, maxAbsDiff, readExpected, SMALL_DIMS, writeTfjsBundle } from './tfjs-fixtures.js';

const ctx = { logger: silentLogger, options: {} };

async function session(dir: string): Promise<BackendSession> {
  await tfjsPlugin.init({ logger: silentLogger });
  return tfjsPlugin.createSession(await loadBundle(dir), ctx);
}

const features = (data: Float32Array, size: number, dIn = 64) => ({
  inputs: [],
  encoded: { kind: 'features' as const, size, dIn, data },
});

describe('tfjs plugin', () => {
  it('serves model.type torch through its aliases and needs a bundle', () => {
    expect(tfjsPlugin.name).toBe('tfjs');
    expect(tfjsPlugin.aliases).toEqual(expect.arrayContaining(['torch', 'pytorch']));
    expect(tfjsPlugin.needsBundle).toBe(true);
  });

  it('serves model.pt with torch parity and reports the tfjs backend that ran', async () => {
    const s = await session(fixture('torch-small'));
    const e = readExpected('torch-small');
    expect(s.input).toEqual({ kind: 'features', dIn: 64 });
    expect(['tensorflow', 'wasm', 'cpu']).toContain(s.info.tfjsBackend);
    expect(s.info.weights).toBe('model.pt');
    expect(maxAbsDiff(await s.infer(features(expectedInputs(e), 3)), e)).toBeLessThan(1e-5);
    await s.dispose();
    await expect(s.infer(features(expectedInputs(e), 3))).rejects.toMatchObject({ code: 'SESSION_DISPOSED' });
  });

  it('logs which tfjs backend it chose', async () => {
    const { createTfjsPlugin } = await import('../../plugins/tfjs/tfjs-plugin.js');
    const logger = createMemoryLogger();
    await createTfjsPlugin().init({ logger });
    expect(logger.entries.some((l) => l.level === 'info' && /tfjs backend/.test(l.msg))).toBe(true);
  });

  it('rejects features of the wrong width', async () => {
    const s = await session(fixture('torch-small'));
    await expect(s.infer(features(new Float32Array(65), 1, 65))).rejects.toMatchObject({
      code: 'ENCODER_DIM_MISMATCH',
    });
    await s.dispose();
  });

  it('refuses dangerous checkpoints at createSession, by code', async () => {
    for (const [name, code] of [
      ['torch-whole-model', 'PICKLE_GLOBAL_FORBIDDEN'],
      ['torch-evil-global', 'PICKLE_GLOBAL_FORBIDDEN'],
      ['torch-legacy', 'TORCH_LEGACY_FORMAT'],
    ]) {
      await expect(session(fixture(name))).rejects.toMatchObject({ code });
    }
  });

  it('serves model.json weights identically to the same weights computed in plain JS', async () => {
    const weights = randomMlpPolicyWeights(SMALL_DIMS, 9);
    const s = await session(writeTfjsBundle(weights));
    expect(s.info.weights).toBe('model.json');
    const x = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i));
    const [a, b] = await s.infer(features(x, 2));
    const ref = (row: Float32Array) => referenceForward(weights, row);
    for (const [i, got] of [a, b].entries()) {
      const want = ref(x.subarray(i * 64, (i + 1) * 64));
      for (const h of HEAD_NAMES) got[h].forEach((v, j) => expect(Math.abs(v - want[h][j])).toBeLessThan(1e-5));
    }
    await s.dispose();
  });

  it('has a bundle schema that accepts model.pt or model.json bundles and refuses one with neither', async () => {
    const schemas = new SchemaRegistry();
    schemas.add(tfjsPlugin.bundleSchema!);
    const id = tfjsPlugin.bundleSchema!.$id as string;
    const b = await loadBundle(fixture('torch-small'));
    expect(schemas.validate(id, { files: b.files, json: b.json }).valid).toBe(true);
    const { ['model.pt']: _drop, ...noModel } = b.files;
    expect(schemas.validate(id, { files: noModel, json: b.json }).valid).toBe(false);
  });

  it('lints a good bundle clean and reports key problems and refusals', async () => {
    expect(await tfjsPlugin.lint!(await loadBundle(fixture('torch-small')), { logger: silentLogger })).toEqual([]);
    const evil = await tfjsPlugin.lint!(await loadBundle(fixture('torch-evil-global')), { logger: silentLogger });
    expect(evil.map((p) => p.code)).toEqual(['PICKLE_GLOBAL_FORBIDDEN']);
    const wrong = writeTfjsBundle(randomMlpPolicyWeights({ ...SMALL_DIMS, dHidden: 16 }, 2));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${wrong}/config.json`, JSON.stringify({ d_in: 64, d_hidden: 32, n_layers: 2 }));
    const problems = await tfjsPlugin.lint!(await loadBundle(wrong), { logger: silentLogger });
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['TORCH_STATE_DICT_MISMATCH']));
  });
});

/** Plain float64 JS forward of the MLPPolicy: the independent reference for the tfjs port. */
function referenceForward(w: ReturnType<typeof randomMlpPolicyWeights>, x: Float32Array): Record<string, number[]> {
  const dense = (
    d: { weight: Float32Array; bias: Float32Array; outFeatures: number; inFeatures: number },
    v: number[],
  ) =>
    Array.from({ length: d.outFeatures }, (_, o) =>
      v.reduce((acc, xi, i) => acc + xi * d.weight[o * d.inFeatures + i], d.bias[o]),
    );
  let h = Array.from(x);
  for (const b of w.trunk) {
    const y = dense(b.linear, h);
    const mean = y.reduce((a, c) => a + c, 0) / y.length;
    const variance = y.reduce((a, c) => a + (c - mean) ** 2, 0) / y.length;
    h = y.map((v, i) => Math.max(0, ((v - mean) / Math.sqrt(variance + 1e-5)) * b.lnWeight[i] + b.lnBias[i]));
  }
  return Object.fromEntries(HEAD_NAMES.map((name) => [name, dense(w.heads[name], h)]));
}
