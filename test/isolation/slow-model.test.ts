import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { defaultWorkerEntry, loadIsolatedModel } from '../../core/isolation/load-isolated-model.js';
import type { ProxySession } from '../../core/isolation/proxy-session.js';
import { runInference } from '../../core/run-inference.js';
import { input, isAlive, registry } from './isolation-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const SLOW = join(here, '..', '..', 'fixtures', 'bundles', 'slow-model');
const REGISTRY_MODULE = join(here, '..', 'support', 'isolation-registry.mjs');
const built =
  existsSync(defaultWorkerEntry()) && existsSync(join(here, '..', '..', 'dist', 'plugins', 'onnx', 'onnx-plugin.js'));

describe.runIf(built && existsSync(SLOW))('isolation: process, with the slow ONNX fixture (slow by its graph)', () => {
  it('a call past the timeout returns inference_timeout, the child running it is killed and replaced, and a call with room to finish works', async () => {
    const config = resolveInferenceConfig({
      modelPath: SLOW,
      modelType: 'onnx',
      fallback: [],
      timeoutMs: 100,
      loadTimeoutMs: 60_000,
      isolation: 'process',
    });
    const model = await loadIsolatedModel(config, {
      registry: registry(),
      isolation: { registryModule: REGISTRY_MODULE },
    });
    const pool = (model.session as ProxySession).pool;
    try {
      expect(model.attempts).toEqual([]);
      expect(model.session.info).toMatchObject({ isolation: 'process' });
      const [first] = pool.pids;
      const timedOut = await runInference(model, [input('S-1')], { timeoutMs: 100, useCalibration: true });
      expect(timedOut.results[0]).toMatchObject({ reason: 'inference_timeout' });
      await expect.poll(() => isAlive(first), { timeout: 10_000 }).toBe(false);
      await expect.poll(() => pool.pids.length, { timeout: 60_000 }).toBe(1);
      expect(pool.pids[0]).not.toBe(first);
      expect(pool.spawned).toBe(2);
      // replaced and idle: the pool no longer holds the process alive
      await expect.poll(() => pool.keepingAlive, { timeout: 10_000 }).toBe(false);
      const done = await runInference(model, [input('S-2')], { timeoutMs: 60_000, useCalibration: true });
      expect(done.results[0]).toHaveProperty('decoded');
    } finally {
      await model.session.dispose();
    }
  }, 120_000);
});
