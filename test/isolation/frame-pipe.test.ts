/**
 * The frame pipe between a real parent and child: a 256-item features batch (3.9 MB of tensors) crosses exactly,
 * a child that dies in the middle of a reply frame costs one fallback (WorkerCrashedError) and is replaced, and a
 * malformed reply frame is a WorkerFrameError: the child is killed and replaced, the next call is answered.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkerEntry } from '../../core/isolation/load-isolated-model.js';
import type { PlannerInference } from '../../core/planner-inference.js';
import { input, isAlive, planner, untilModelAnswers } from './isolation-support.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function features(isolation: 'process' | 'in-process'): Promise<PlannerInference> {
  const p = await planner(
    { modelType: 'features-echo', isolation, poolSize: 1, timeoutMs: 60_000, confidenceThreshold: 0 },
    { localPlugins: isolation === 'in-process' },
  );
  cleanup.push(() => p.dispose());
  expect(p.backend).toBe('features-echo');
  return p;
}

const batch = (n: number) =>
  Array.from({ length: n }, (_, i) => input(`F-${i}`, { title: `Issue ${i} ${'word '.repeat(i % 17)}`, dk_size: 'M' }));

describe.runIf(existsSync(defaultWorkerEntry()))('isolation: the frame pipe', () => {
  it('a 256-item features batch answers exactly as in-process, and so do the batch sizes around it', async () => {
    const [isolated, local] = [await features('process'), await features('in-process')];
    for (const n of [256, 1, 65]) {
      const items = batch(n);
      const [a, b] = [await isolated.predictMany(items), await local.predictMany(items)];
      expect(a.map((o) => o.trace.error)).toEqual(items.map(() => null));
      expect(a.map((o) => [o.action, o.record.probs])).toEqual(b.map((o) => [o.action, o.record.probs]));
    }
  }, 120_000);

  it('a child killed in the middle of its reply frame: WorkerCrashedError for that call, then a new child answers', async () => {
    const p = await features('process');
    const before = (await p.predict(input('F-1'))).trace.backendInfo.pid as number;
    const torn = await p.predict(input('tear-1'));
    expect(torn.action.reason).toBe('inference_error_WorkerCrashedError');
    expect(torn.action.abstain_to_default).toBe(true);
    await expect.poll(() => isAlive(before), { timeout: 5000 }).toBe(false);
    // the old child is dead, so the model's answer comes from its replacement
    expect((await untilModelAnswers(p, 'F-2')).trace.error).toBeNull();
  }, 120_000);

  it('a malformed reply frame: WorkerFrameError for that call, the child is killed and replaced', async () => {
    const p = await features('process');
    const before = (await p.predict(input('F-1'))).trace.backendInfo.pid as number;
    const garbled = await p.predict(input('garble-1'));
    expect(garbled.action.reason).toBe('inference_error_WorkerFrameError');
    expect(garbled.trace.error).toMatch(/WORKER_FRAME_INVALID|magic/);
    await expect.poll(() => isAlive(before), { timeout: 5000 }).toBe(false);
    // the old child is dead, so the model's answer comes from its replacement
    expect((await untilModelAnswers(p, 'F-2')).trace.error).toBeNull();
  }, 120_000);
});
