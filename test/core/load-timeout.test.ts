/** A backend whose load outlives loadTimeoutMs: the planner falls back, and the late session is disposed, not leaked. */
import { describe, expect, it, vi } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

describe('model load timeout', () => {
  it('falls back with an INFERENCE_TIMEOUT load attempt and disposes the session that arrives late', async () => {
    const calls = { init: 0, infer: 0, disposed: 0 };
    const slow = scriptedPlugin({
      script: () => prefer({ swarm: 0, candidates: 0, minutes: 0, iterations: 4 }),
      sessionDelayMs: 300,
      calls,
    });
    const registry = new BackendRegistry().register(heuristicPlugin).register(slow);
    const config = resolveInferenceConfig({
      modelPath: makeScriptedBundle(),
      modelType: 'scripted',
      loadTimeoutMs: 20,
    });
    const planner = await PlannerInference.create(config, { registry });
    expect(planner.backend).toBe('heuristic');
    expect(planner.attempts[0]).toMatchObject({ backend: 'scripted', code: 'INFERENCE_TIMEOUT' });
    await vi.waitFor(() => expect(calls.disposed).toBe(1), { timeout: 10_000, interval: 20 });
    expect(calls.infer).toBeLessThanOrEqual(1); // at most the late warm-up, never a real call
    await planner.dispose();
  });
});
