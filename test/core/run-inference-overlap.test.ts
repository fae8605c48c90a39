/**
 * runInference's `whileRunning` (the planner hashes its inputs while the backend call is in flight): called once,
 * after the call started; its time never counts against the timeout budget, a result that arrived meanwhile is not
 * declared timed out, a call that does not answer still times out, and what it throws propagates.
 */
import { describe, expect, it } from 'vitest';
import { ActionSpace } from '../../core/action-space.js';
import type { BackendPlugin, BackendSession, HeadLogits, InferBatch } from '../../core/backend/plugin.js';
import type { InputEncoder } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import type { LoadedModel } from '../../core/model-loader.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { runInference } from '../../core/run-inference.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { PlannerInference, type BatchStages } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';

const inputs = [buildPlannerInput({ issue: { id: 'O-1', title: 'overlap' }, now: 1_700_000_000_000 })];
const logits: HeadLogits = {
  swarm: Float32Array.from([5, 0]),
  candidates: Float32Array.from([5, 0, 0, 0]),
  minutes: Float32Array.from([5, 0, 0, 0, 0, 0]),
  iterations: Float32Array.from([5, 0, 0, 0, 0]),
};

function model(infer: (batch: InferBatch) => Promise<HeadLogits[]>, encodeFails = false): LoadedModel {
  const session: BackendSession = { backend: 'fake', input: { kind: 'raw' }, info: {}, infer, dispose: async () => {} };
  const encoder: InputEncoder = {
    id: 'raw' as InputEncoder['id'],
    kind: 'raw',
    encodeBatch: (xs) => {
      if (encodeFails) throw new PlannerError(ErrorCodes.ENCODER_INVALID_INPUT, 'cannot encode (simulated)');
      return { kind: 'raw', size: xs.length };
    },
  };
  return {
    plugin: { name: 'fake' } as BackendPlugin,
    session,
    encoder,
    bundle: null,
    actionSpace: ActionSpace.defaults(),
    attempts: [],
    loadMs: 0,
  };
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* the main thread hashing */
  }
}

describe('runInference whileRunning', () => {
  it('runs after the call started; its time is not counted, so a result that arrived meanwhile is not timed out', async () => {
    const order: string[] = [];
    const m = model(async () => {
      order.push('infer');
      return [logits];
    });
    const run = await runInference(m, inputs, {
      timeoutMs: 50,
      useCalibration: false,
      whileRunning: () => {
        order.push('whileRunning');
        busy(150);
      },
    });
    expect(order).toEqual(['infer', 'whileRunning']);
    expect(run.results[0]).toHaveProperty('decoded');
    expect(run.overlapMs).toBeGreaterThanOrEqual(150);
    expect(run.timings.totalMs).toBeLessThan(run.overlapMs);
  });

  it('a call that does not answer still times out, with the race started after whileRunning', async () => {
    const m = model(() => new Promise<HeadLogits[]>(() => undefined));
    const run = await runInference(m, inputs, { timeoutMs: 30, useCalibration: false, whileRunning: () => busy(60) });
    expect(run.results[0]).toMatchObject({ reason: 'inference_timeout' });
  });

  it('is called once even when encoding fails, and what it throws propagates (the call is not left unhandled)', async () => {
    let calls = 0;
    const failed = await runInference(
      model(async () => [logits], true),
      inputs,
      {
        timeoutMs: 1000,
        useCalibration: false,
        whileRunning: () => void calls++,
      },
    );
    expect(calls).toBe(1);
    expect(failed.results[0]).toHaveProperty('error');
    const rejecting = model(async () => {
      throw new PlannerError(ErrorCodes.INFERENCE_FAILED, 'simulated');
    });
    const thrown = new Error('hash failed');
    await expect(
      runInference(rejecting, inputs, {
        timeoutMs: 1000,
        useCalibration: false,
        whileRunning: () => {
          throw thrown;
        },
      }),
    ).rejects.toBe(thrown);
  });
});

describe('predictMany stage timings (onBatch)', () => {
  it('hashMs is the overlapped hashing; encode, hash, the wait for the run and decode fit inside callMs', async () => {
    const stages: BatchStages[] = [];
    const config = resolveInferenceConfig({ modelType: 'heuristic', fallback: [] });
    const p = await PlannerInference.create(config, {
      registry: new BackendRegistry().register(heuristicPlugin),
      onBatch: (st) => stages.push(st),
    });
    const outcomes = await p.predictMany([inputs[0], inputs[0], inputs[0]]);
    expect(outcomes.map((o) => o.record.input_hash)).toEqual(Array(3).fill(outcomes[0].record.input_hash));
    expect(stages).toHaveLength(1);
    const st = stages[0];
    expect(st.size).toBe(3);
    expect(st.hashMs).toBeGreaterThan(0);
    const parts = st.encodeMs + st.hashMs + st.inferMs + st.decodeMs;
    expect(parts).toBeLessThanOrEqual(st.callMs + 1e-6);
    expect(st.totalMs).toBeCloseTo(st.encodeMs + st.inferMs + st.decodeMs, 6);
    await p.dispose();
  });
});
