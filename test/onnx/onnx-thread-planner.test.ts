/**
 * The planner over an onnx session with `runIn: worker`, with the slow fixture (≈ 1 s per run by its graph): a call
 * past `timeout_ms` answers `inference_timeout` while the thread finishes the run (its late result goes nowhere and
 * the next call gets its own), a thread that dies mid-call gives the heuristic's answer and is restarted for the
 * next call, and a process holding such a session (never disposed) exits by itself once its calls have answered.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import type { LoadedModel } from '../../core/model-loader.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { threadEntry } from '../../plugins/onnx/onnx-thread-client.js';
import { onnxThreadOf } from '../../plugins/onnx/onnx-thread-runner.js';
import { BUNDLES, REPO } from './onnx-test-helpers.js';

const SLOW = join(BUNDLES, 'slow-model');
const input = buildPlannerInput({ issue: { id: 'W-1', title: 'worker thread' }, now: 1_700_000_000_000 });
const planners: PlannerInference[] = [];
afterAll(async () => {
  for (const p of planners) await p.dispose();
});

async function planner(dir: string, timeoutMs: number): Promise<PlannerInference> {
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType: 'onnx',
    fallback: ['heuristic'],
    timeoutMs,
    confidenceThreshold: 0,
    backendOptions: { onnx: { runIn: 'worker' } },
  });
  const registry = new BackendRegistry().register(heuristicPlugin).register(onnxPlugin);
  const p = await PlannerInference.create(config, { registry });
  planners.push(p);
  expect(p.backend).toBe('onnx');
  return p;
}

const threadOf = (p: PlannerInference) =>
  onnxThreadOf((p as unknown as { model: LoadedModel }).model.session as object)!;

describe.runIf(existsSync(threadEntry()))('planner with the onnx session in a worker thread', () => {
  it('a call past timeout_ms answers inference_timeout; the run goes on in the thread and the next call gets its own answer', async () => {
    const p = await planner(SLOW, 100);
    const timedOut = await p.predict(input);
    expect(timedOut.action.reason).toBe('inference_timeout');
    expect(threadOf(p).running).toBe(true); // the thread is still on that run
    const session = (p as unknown as { model: LoadedModel }).model.session;
    const encoded = p.encoder.encodeBatch([input, input]);
    expect(await session.infer({ inputs: [input, input], encoded })).toHaveLength(2);
  }, 60_000);

  it('a thread that dies mid-call gives the heuristic answer, and the next call restarts it', async () => {
    const p = await planner(SLOW, 60_000);
    const pending = p.predict(input);
    await expect.poll(() => threadOf(p).running, { timeout: 10_000, interval: 1 }).toBe(true);
    await threadOf(p).terminate();
    const outcome = await pending;
    expect(outcome.action.abstain_to_default).toBe(true);
    expect(outcome.action.reason).toMatch(/^inference_error_/);
    expect(outcome.trace.error).toContain('worker thread');
    const next = await p.predict(input);
    expect(next.trace.error).toBeNull();
    expect(next.trace.modelAction).not.toBeNull();
  }, 60_000);

  it('a process with an undisposed worker-thread session exits by itself after its calls', () => {
    const script = `
      const { resolveInferenceConfig } = await import(${JSON.stringify(join(REPO, 'dist/core/inference-config.js'))});
      const { PlannerInference } = await import(${JSON.stringify(join(REPO, 'dist/core/planner-inference.js'))});
      const { createDefaultRegistry } = await import(${JSON.stringify(join(REPO, 'dist/plugins/index.js'))});
      const { buildPlannerInput } = await import(${JSON.stringify(join(REPO, 'dist/core/planner-input.js'))});
      const config = resolveInferenceConfig({ modelPath: ${JSON.stringify(join(BUNDLES, 'onnx-spec-small'))},
        modelType: 'onnx', fallback: [], backendOptions: { onnx: { runIn: 'worker' } } });
      const p = await PlannerInference.create(config, { registry: createDefaultRegistry() });
      const input = buildPlannerInput({ issue: { id: 'X-1', title: 'exit' }, now: 1700000000000 });
      const out = await p.predict(input);
      console.log(p.backend, out.trace.backendInfo.runIn, out.trace.error);`;
    // --input-type and -e reach the thread only if the parent's flags were passed on (they must not be)
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, signal: run.signal }, run.stderr.slice(-2000)).toEqual({ status: 0, signal: null });
    expect(run.stdout.trim()).toBe('onnx worker null');
  }, 90_000);
});
