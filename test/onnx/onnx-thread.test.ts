/**
 * `planner.backend_options.onnx.runIn: worker`: the session in a worker thread answers exactly what the session on
 * the caller's thread answers, carries run errors back with their codes, survives a thread that dies (in-flight
 * calls reject with ONNX_THREAD_EXITED, the next call restarts it, three deaths in a row leave it down), waits for
 * in-flight runs on dispose, and validates its option like the thread counts.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import type { BackendSession, HeadLogits, InferBatch } from '../../core/backend/plugin.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { PlannerError } from '../../core/errors.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { MAX_THREAD_RESTARTS } from '../../plugins/onnx/onnx-thread-client.js';
import { onnxThreadOf } from '../../plugins/onnx/onnx-thread-runner.js';
import { BUNDLES, ctx, featuresBatch, randomRows } from './onnx-test-helpers.js';

const SPEC = join(BUNDLES, 'onnx-spec-small');
const PYTHON = join(BUNDLES, 'onnx-python-small');
const sessions: BackendSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

async function open(
  dir: string,
  runIn: 'worker' | 'caller' = 'worker',
  extra: Record<string, unknown> = {},
): Promise<BackendSession> {
  await onnxPlugin.init({ logger: ctx.logger });
  const s = await onnxPlugin.createSession(await loadBundle(dir), { ...ctx, options: { runIn, ...extra } });
  sessions.push(s);
  return s;
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof PlannerError ? error.code : `not a PlannerError: ${String(error)}`;
  }
  return 'resolved';
}

function expectSameLogits(a: HeadLogits[], b: HeadLogits[]): void {
  expect(a).toHaveLength(b.length);
  a.forEach((item, i) => {
    for (const head of HEAD_NAMES) expect(Array.from(item[head]), `item ${i} ${head}`).toEqual(Array.from(b[i][head]));
  });
}

/** Token batch of the Python bundle: ids 1..20 cycled, `bad` puts an id far outside the vocabulary. */
function tokensBatch(n: number, seqLen: number, bad = false): InferBatch {
  const inputIds = new BigInt64Array(n * seqLen);
  const attentionMask = new BigInt64Array(n * seqLen);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < 5 + (i % 7); t++) {
      inputIds[i * seqLen + t] = BigInt(1 + ((i + t) % 20));
      attentionMask[i * seqLen + t] = 1n;
    }
  if (bad) inputIds[0] = 1_000_000_000n;
  return { inputs: [], encoded: { kind: 'tokens', size: n, seqLen, inputIds, attentionMask, tokens: [] } };
}

/**
 * A large call caught while it is in the thread (a run can finish before `infer` returns when the OS runs the
 * woken thread first: then another is tried), plus one queued behind it; both as their settled code.
 */
async function inFlight(
  s: BackendSession,
  queuedBatch: InferBatch,
): Promise<{ call: Promise<string>; queued: Promise<string> }> {
  const thread = onnxThreadOf(s)!;
  const big = featuresBatch(randomRows(512, dIn(s), 11), dIn(s));
  for (let attempt = 0; attempt < 50; attempt++) {
    const call = code(s.infer(big));
    while (!thread.running && !(await Promise.race([call.then(() => true), Promise.resolve(false)])))
      await new Promise((r) => setImmediate(r));
    if (thread.running) return { call, queued: code(s.infer(queuedBatch)) };
    await call;
  }
  throw new Error('no call was ever caught in flight');
}

/** What `createSession` rejects with for these options (null when it makes a session). */
async function refusal(bundle: Bundle, options: Record<string, unknown>): Promise<unknown> {
  return onnxPlugin.createSession(bundle, { ...ctx, options }).then(
    async (s) => {
      await s.dispose();
      return null;
    },
    (e: unknown) => e,
  );
}

function dIn(s: BackendSession): number {
  if (s.input.kind !== 'features') throw new Error('not a features session');
  return s.input.dIn;
}

describe('onnx runIn: worker', () => {
  it('records the mode and answers bit for bit what the caller-thread session answers, growing its buffers', async () => {
    const worker = await open(SPEC);
    const caller = await open(SPEC, 'caller');
    expect(worker.info.runIn).toBe('worker');
    expect(caller.info.runIn).toBe('caller');
    expect(onnxThreadOf(worker)).not.toBeNull();
    expect(onnxThreadOf(caller)).toBeNull();
    for (const [n, seed] of [
      [1, 1],
      [40, 2],
      [300, 3],
      [3, 4],
    ]) {
      const batch = featuresBatch(randomRows(n, dIn(worker), seed), dIn(worker));
      expectSameLogits(await worker.infer(batch), await caller.infer(batch));
    }
    expect(await worker.infer(featuresBatch([], dIn(worker)))).toEqual([]);
  });

  it('serves token bundles, runs concurrent calls one at a time in order, and carries run errors back coded', async () => {
    const worker = await open(PYTHON);
    const caller = await open(PYTHON, 'caller');
    if (worker.input.kind !== 'tokens') throw new Error('expected a tokens session');
    const L = worker.input.seqLen;
    const batches = [tokensBatch(5, L), tokensBatch(33, L), tokensBatch(1, L)];
    const answers = await Promise.all(batches.map((b) => worker.infer(b)));
    for (let i = 0; i < batches.length; i++) expectSameLogits(answers[i], await caller.infer(batches[i]));
    expect(await code(caller.infer(tokensBatch(2, L, true)))).toBe('INFERENCE_FAILED');
    expect(await code(worker.infer(tokensBatch(2, L, true)))).toBe('INFERENCE_FAILED');
    expectSameLogits(await worker.infer(batches[0]), answers[0]); // and it goes on serving
  });

  it('refuses a wrong batch width before the thread sees it', async () => {
    const worker = await open(SPEC);
    expect(await code(worker.infer(featuresBatch(randomRows(1, 7, 1), 7)))).toBe('ENCODER_DIM_MISMATCH');
  });

  it('does not run a queued call whose signal was aborted; a started call still resolves (its caller drops it)', async () => {
    const worker = await open(SPEC);
    const thread = onnxThreadOf(worker)!;
    const batch = featuresBatch(randomRows(8, dIn(worker), 5), dIn(worker));
    const expected = await (await open(SPEC, 'caller')).infer(batch);
    await thread.terminate(); // idle: nothing rejected; the next call waits for a new thread, so the one after queues
    const started = new AbortController();
    const queued = new AbortController();
    const first = worker.infer(batch, { signal: started.signal });
    const second = code(worker.infer(batch, { signal: queued.signal }));
    started.abort();
    queued.abort();
    expectSameLogits(await first, expected);
    expect(await second).toBe('INFERENCE_FAILED');
    expectSameLogits(await worker.infer(batch), expected);
  });

  it('dispose waits for the run in flight, ends the thread, and later calls get SESSION_DISPOSED', async () => {
    const worker = await open(SPEC);
    const batch = featuresBatch(randomRows(64, dIn(worker), 6), dIn(worker));
    const inFlight = worker.infer(batch);
    await worker.dispose();
    expect(await inFlight).toHaveLength(64);
    expect(onnxThreadOf(worker)!.running).toBe(false);
    expect(await code(worker.infer(batch))).toBe('SESSION_DISPOSED');
  });

  it('a thread that dies rejects the calls in flight with ONNX_THREAD_EXITED and is restarted by the next call', async () => {
    const worker = await open(SPEC);
    const thread = onnxThreadOf(worker)!;
    const small = featuresBatch(randomRows(4, dIn(worker), 7), dIn(worker));
    const good = await worker.infer(small);
    const { call, queued } = await inFlight(worker, small);
    await thread.terminate();
    expect(await call).toBe('ONNX_THREAD_EXITED');
    expect(await queued).toBe('ONNX_THREAD_EXITED');
    expectSameLogits(await worker.infer(small), good);
  });

  it(`stays down after ${MAX_THREAD_RESTARTS} deaths in a row`, async () => {
    const worker = await open(SPEC);
    const thread = onnxThreadOf(worker)!;
    for (let i = 0; i < MAX_THREAD_RESTARTS; i++) {
      const { call } = await inFlight(worker, featuresBatch(randomRows(2, dIn(worker), 8), dIn(worker)));
      await thread.terminate();
      expect(await call).toBe('ONNX_THREAD_EXITED');
    }
    const small = featuresBatch(randomRows(2, dIn(worker), 8), dIn(worker));
    expect(await code(worker.infer(small))).toBe('ONNX_THREAD_EXITED');
  });

  it('busy-waits on both sides when asked (threadSpinUs, callerSpinUs) and still answers bit for bit, in order', async () => {
    const spinning = await open(SPEC, 'worker', { threadSpinUs: 5000, callerSpinUs: 5000 });
    const caller = await open(SPEC, 'caller');
    expect(spinning.info).toMatchObject({ runIn: 'worker', threadSpinUs: 5000, callerSpinUs: 5000 });
    expect(caller.info).not.toHaveProperty('threadSpinUs');
    const batches = [1, 64, 7, 300, 2].map((n, i) =>
      featuresBatch(randomRows(n, dIn(spinning), 20 + i), dIn(spinning)),
    );
    for (const b of batches) expectSameLogits(await spinning.infer(b), await caller.infer(b));
    const together = await Promise.all(batches.map((b) => spinning.infer(b)));
    for (let i = 0; i < batches.length; i++) expectSameLogits(together[i], await caller.infer(batches[i]));
    // a thread that dies while the caller polls for its result still rejects the call with its code
    const { call } = await inFlight(spinning, batches[0]);
    await onnxThreadOf(spinning)!.terminate();
    expect(await call).toBe('ONNX_THREAD_EXITED');
    expectSameLogits(await spinning.infer(batches[2]), await caller.infer(batches[2]));
  });

  it('validates threadSpinUs and callerSpinUs (integers 0..100000; CONFIG_INVALID with the key path)', async () => {
    const bundle = await loadBundle(SPEC);
    for (const key of ['threadSpinUs', 'callerSpinUs'])
      for (const value of [-1, 1.5, '10', null, 100_001]) {
        const error = await refusal(bundle, { runIn: 'worker', [key]: value });
        expect(error, `${key}: ${JSON.stringify(value)}`).toBeInstanceOf(PlannerError);
        expect((error as PlannerError).code).toBe('CONFIG_INVALID');
        expect((error as PlannerError).context.keyPath).toBe(`planner.backend_options.onnx.${key}`);
      }
  });

  it('validates runIn like the thread counts (CONFIG_INVALID with its key path)', async () => {
    const bundle = await loadBundle(SPEC);
    for (const runIn of ['gpu', 1, null, 'Worker']) {
      const error = await refusal(bundle, { runIn });
      expect(error).toBeInstanceOf(PlannerError);
      expect((error as PlannerError).code).toBe('CONFIG_INVALID');
      expect((error as PlannerError).context.keyPath).toBe('planner.backend_options.onnx.runIn');
    }
  });
});
