/**
 * `isolation: process` with the built-in registry: the child is started by plugins/isolation-worker.ts, which hands
 * the built-in backends to the worker explicitly (core finds no plugin by itself), and serves the bundle with onnx.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { silentLogger } from '../../core/logger.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { builtinWorkerEntry, createDefaultRegistry } from '../../plugins/index.js';
import { BUNDLES } from '../onnx/onnx-test-helpers.js';
import { input } from './isolation-support.js';

describe('isolation worker of the built-in registry', () => {
  it('the registry names its worker, and that worker serves an onnx bundle in a child process', async () => {
    const registry = createDefaultRegistry();
    expect(registry.workerEntry).toBe(builtinWorkerEntry);
    expect(registry.withLogger(silentLogger).workerEntry).toBe(builtinWorkerEntry);
    const config = resolveInferenceConfig({
      modelPath: join(BUNDLES, 'onnx-spec-small'),
      modelType: 'onnx',
      isolation: 'process',
      poolSize: 1,
      loadTimeoutMs: 30_000,
      timeoutMs: 10_000,
    });
    const planner = await PlannerInference.create(config, { registry });
    try {
      expect(planner.attempts.filter((a) => a.backend === 'onnx')).toEqual([]);
      expect(planner.backend).toBe('onnx');
      const out = await planner.predict(input('W-1'));
      expect(out.trace.backend).toBe('onnx');
      expect(out.trace.error).toBeNull();
    } finally {
      await planner.dispose();
    }
  });
});
