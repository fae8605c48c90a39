import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../../core/inference-config.js';
import { createMemoryLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin, type ScriptedOptions } from '../support/scripted-plugin.js';

const schemas = new SchemaRegistry();
const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const input = (over: Record<string, unknown> = {}) =>
  buildPlannerInput({ issue: { id: 'I-1', dk_risk: 'low', dk_size: 'S', title: 'Fix the parser', ...over }, now: NOW });
// speculate_vote, 2 candidates, 30 minutes, NA
const SPEC_2_30 = prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 });

async function planner(opts: Partial<ScriptedOptions> & { config?: InferenceConfigInput } = {}) {
  const registry = new BackendRegistry()
    .register(heuristicPlugin)
    .register(scriptedPlugin({ script: () => SPEC_2_30, ...opts }));
  const config = resolveInferenceConfig({ modelPath: makeScriptedBundle(), modelType: 'scripted', ...opts.config });
  return PlannerInference.create(config, { registry, clock: () => NOW, logger: createMemoryLogger() });
}

function expectValidRecord(record: unknown) {
  const r = schemas.validate(SchemaIds.plannerAction, record);
  expect(r.errors).toEqual([]);
}

describe('PlannerInference.predict', () => {
  it('uses a confident model action as is', async () => {
    const p = await planner();
    const out = await p.predict(input());
    expect(out.action).toMatchObject({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 2,
      max_minutes_bin: 30,
      max_iterations_bin: 'NA',
      abstain_to_default: false,
      reason: null,
    });
    expect(out.action.confidence).toBeGreaterThan(0.99);
    expect(out.trace.backend).toBe('scripted');
    expectValidRecord(out.record);
    expect(out.record.probs?.swarm_id).toHaveLength(2);
  });

  it('falls back with model_unavailable when the backend cannot load, and says why', async () => {
    for (const fail of [{ failInit: true }, { failSession: true }]) {
      const p = await planner(fail);
      expect(p.backend).toBe('heuristic');
      expect(p.attempts[0]).toMatchObject({ backend: 'scripted', stage: fail.failInit ? 'init' : 'session' });
      const out = await p.predict(input({ dk_risk: 'high' }));
      expect(out.action).toMatchObject({
        abstain_to_default: true,
        reason: 'model_unavailable',
        swarm_id: 'speculate_vote',
        max_candidates_bin: 3,
        confidence: 1,
      });
      expectValidRecord(out.record);
    }
  });

  it('falls back with model_unavailable when the bundle directory is missing', async () => {
    const p = await planner({ config: { modelPath: '/nonexistent/bundle' } });
    expect(p.attempts[0]).toMatchObject({ backend: 'scripted', stage: 'bundle', code: 'BUNDLE_NOT_FOUND' });
    expect((await p.predict(input())).action.reason).toBe('model_unavailable');
  });

  it('falls back with low_confidence_<c> when the model is unsure', async () => {
    const p = await planner({ script: () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 }, 0.5) });
    const out = await p.predict(input());
    expect(out.action.abstain_to_default).toBe(true);
    expect(out.action.reason).toMatch(/^low_confidence_0\.\d{3}$/);
    expect(Number(out.action.reason!.slice('low_confidence_'.length))).toBeCloseTo(out.trace.confidence!, 3);
    expect(out.action.swarm_id).toBe('serial_handoff'); // heuristic for low risk, size S
    expectValidRecord(out.record);
  });

  it('a fast backend within a generous budget answers itself: the timeout does not fire early', async () => {
    // 60 s is far beyond any machine's time for a synchronous scripted call: a fallback here means a broken timer.
    const fast = await planner({ config: { timeoutMs: 60_000 } });
    const out = await fast.predict(input());
    expect(out.action).toMatchObject({ abstain_to_default: false, reason: null });
    expect(out.trace.modelAction).not.toBeNull();
  });

  it('falls back with inference_timeout for a slow async backend and for a blocking one', async () => {
    // every call waits 200 ms (a timer), so the 30 ms budget is always exceeded, whatever the machine
    const slowP = await planner({ delayMs: 200, config: { timeoutMs: 30, loadTimeoutMs: 5000 } });
    const out = await slowP.predict(input());
    expect(out.action).toMatchObject({ abstain_to_default: true, reason: 'inference_timeout' });
    const blocking = await planner({ blockMs: 60, config: { timeoutMs: 20 } });
    expect((await blocking.predict(input())).action.reason).toBe('inference_timeout');
  });

  it('falls back with inference_error_<Name> on a thrown error and on invalid logits', async () => {
    // The warm-up input (issue "warmup") gets good logits, so the model loads; real inputs then fail.
    const warm = (i: { issue: { issue_id: string } }) => i.issue.issue_id === 'warmup';
    const throwing = await planner({
      script: ((i: never) => {
        if (!warm(i)) throw new RangeError('boom');
        return SPEC_2_30;
      }) as never,
    });
    expect(throwing.backend).toBe('scripted');
    expect((await throwing.predict(input())).action.reason).toBe('inference_error_RangeError');

    const nan = await planner({
      script: ((i: never) => (warm(i) ? SPEC_2_30 : { ...SPEC_2_30, swarm: [NaN, 0] })) as never,
    });
    const out = await nan.predict(input());
    expect(out.action.reason).toBe('inference_error_InvalidLogitsError');
    expectValidRecord(out.record);

    const short = await planner({
      script: ((i: never) => (warm(i) ? SPEC_2_30 : { ...SPEC_2_30, minutes: [1, 2] })) as never,
    });
    expect((await short.predict(input())).action.reason).toBe('inference_error_InvalidLogitsError');
  });

  it('caps all three budgets, keeps the earlier reason and records every cap', async () => {
    // fab-world: speculate, 3 candidates, 120 minutes, 5 iterations
    const p = await planner({
      script: () => prefer({ swarm: 1, candidates: 2, minutes: 4, iterations: 3 }),
      config: { caps: { maxCandidates: 2, maxMinutes: 50, maxIterations: 2 } },
    });
    const out = await p.predict(input({ tags: ['asset:world'] }));
    expect(out.action).toMatchObject({ max_candidates_bin: 2, max_minutes_bin: 45, max_iterations_bin: 2 });
    expect(out.action.caps_applied).toEqual([
      'capped_max_candidates_from_3',
      'capped_max_minutes_from_120',
      'capped_max_iterations_from_5',
    ]);
    expect(out.action.reason).toBe(
      'capped_max_candidates_from_3;capped_max_minutes_from_120;capped_max_iterations_from_5',
    );

    const low = await planner({
      script: () => prefer({ swarm: 1, candidates: 2, minutes: 4, iterations: 4 }, 0.3),
      config: { caps: { maxMinutes: 30 } },
    });
    const fallback = await low.predict(input({ dk_risk: 'critical', dk_size: 'XL' }));
    expect(fallback.action.reason).toMatch(/^low_confidence_0\.\d{3};capped_max_minutes_from_120$/);
    expect(fallback.action.max_minutes_bin).toBe(30);
    expectValidRecord(fallback.record);
  });

  it('predictMany makes one backend call for the batch and matches single predictions', async () => {
    const calls = { init: 0, infer: 0, disposed: 0 };
    const script = (i: { issue: { dk_risk: string } }) =>
      i.issue.dk_risk === 'high' ? SPEC_2_30 : prefer({ swarm: 0, candidates: 0, minutes: 0, iterations: 4 });
    const p = await planner({ script: script as never, calls });
    const inputs = [input({ dk_risk: 'high' }), input(), input({ dk_risk: 'high' })];
    const before = calls.infer;
    const many = await p.predictMany(inputs);
    expect(calls.infer - before).toBe(1);
    const single = await Promise.all(inputs.map((i) => p.predict(i)));
    expect(many.map((o) => o.action)).toEqual(single.map((o) => o.action));
    expect(many.map((o) => o.action.swarm_id)).toEqual(['speculate_vote', 'serial_handoff', 'speculate_vote']);
  });

  it('warms up once at load and disposes the session', async () => {
    const calls = { init: 0, infer: 0, disposed: 0 };
    const p = await planner({ calls });
    expect(calls.infer).toBe(1);
    await p.dispose();
    expect(calls.disposed).toBe(1);
  });

  it('the heuristic alone answers without abstaining when no model is configured', async () => {
    const p = await PlannerInference.create(resolveInferenceConfig({}), {
      registry: new BackendRegistry().register(heuristicPlugin),
    });
    const out = await p.predict(input({ dk_size: 'XL' }));
    expect(out.action).toMatchObject({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 2,
      max_minutes_bin: 120,
      abstain_to_default: false,
      reason: null,
    });
    expect(out.record.model.checkpoint_id).toBe('baseline_heuristic_v0');
  });
});
