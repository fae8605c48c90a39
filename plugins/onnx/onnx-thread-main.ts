/**
 * The worker thread of an onnx session with `runIn: worker`: creates its own InferenceSession from the model bytes
 * with the caller's options, says `ready` (or `failed`), then serves runs over the shared-memory channel
 * (onnx-thread-protocol.ts) until asked to stop: wait → copy the batch in → run → write the outputs → notify.
 * Between runs it polls for `spinUs` (a sleeping thread is slow to wake on a VM), then blocks in `Atomics.wait` (a
 * dedicated thread has nothing else to do); `terminate()` still ends it there. A caller that gave the thread up
 * during a run sets `Ctl.EXIT`, and the thread ends when the run returns.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import { HEAD_NAMES } from '../../core/action.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../../core/errors.js';
import { importOrt, openSession, runOnnx, type OrtModule } from './onnx-io.js';
import {
  Ctl,
  OP_STOP,
  headOffsets,
  inputBytes,
  spinWhileEqual,
  type CallerMessage,
  type ThreadInit,
  type WireError,
  type WorkerMessage,
} from './onnx-thread-protocol.js';

const init = workerData as ThreadInit & { readonly port: MessagePort };
const ctl = new Int32Array(init.ctl);
let input = init.input;
let output = new Float32Array(init.output);
let scratch = new ArrayBuffer(0);

/** Run errors go on the side port (the caller reads them synchronously); `ready` / `failed` on the parent port. */
function post(message: WorkerMessage): void {
  (message.t === 'error' ? init.port : parentPort)?.postMessage(message);
}

function wire(error: unknown): WireError {
  if (error instanceof PlannerError) return { code: error.code, message: error.message, context: error.context };
  return { code: ErrorCodes.INFERENCE_FAILED, message: `${init.where}: ${describeError(error)}`, context: {} };
}

async function open(): Promise<{ ort: OrtModule; session: Ort.InferenceSession } | null> {
  try {
    const ort = await importOrt();
    return { ort, session: await openSession(ort, init.model, init.sessionOptions, init.where) };
  } catch (error) {
    post({ t: 'failed', error: wire(error) });
    return null;
  }
}

/** The request's batch, copied out of shared memory (onnxruntime refuses tensors over a SharedArrayBuffer). */
function batchOf(n: number): EncodedBatch {
  const { plan } = init;
  const bytes = inputBytes(plan, n);
  if (scratch.byteLength < bytes) scratch = new ArrayBuffer(bytes);
  new Uint8Array(scratch, 0, bytes).set(new Uint8Array(input, 0, bytes));
  if (plan.input.kind === 'features')
    return { kind: 'features', size: n, dIn: plan.input.dIn, data: new Float32Array(scratch, 0, n * plan.input.dIn) };
  const L = plan.input.seqLen;
  return {
    kind: 'tokens',
    size: n,
    seqLen: L,
    inputIds: new BigInt64Array(scratch, 0, n * L),
    attentionMask: new BigInt64Array(scratch, n * L * 8, n * L),
    tokens: [],
  };
}

function drainSidePort(): void {
  for (let m = receiveMessageOnPort(init.port); m; m = receiveMessageOnPort(init.port)) {
    const message = m.message as CallerMessage;
    if (message.t === 'buffers') {
      input = message.input;
      output = new Float32Array(message.output);
    }
  }
}

/** One run: outputs into shared memory, or its error on the side port. True: the caller gave the thread up. */
async function runOnce(ort: OrtModule, session: Ort.InferenceSession, n: number, seq: number): Promise<boolean> {
  try {
    const perHead = await runOnnx(ort, session, init.plan, init.widths, batchOf(n), init.where);
    if (Atomics.load(ctl, Ctl.EXIT) === 1) return true;
    const at = headOffsets(init.widths, HEAD_NAMES, n);
    for (const head of HEAD_NAMES) output.set(perHead[head], at[head]);
    Atomics.store(ctl, Ctl.STATUS, 0);
  } catch (error) {
    if (Atomics.load(ctl, Ctl.EXIT) === 1) return true;
    post({ t: 'error', seq, error: wire(error) });
    Atomics.store(ctl, Ctl.STATUS, 1);
  }
  return false;
}

/** `seen`: the request number before `ready` was posted (the caller sends nothing before it reads `ready`). */
async function serve(ort: OrtModule, session: Ort.InferenceSession, seen: number): Promise<void> {
  for (;;) {
    if (!spinWhileEqual(ctl, Ctl.REQ, seen, init.spinUs)) Atomics.wait(ctl, Ctl.REQ, seen);
    seen = Atomics.load(ctl, Ctl.REQ);
    drainSidePort();
    if (Atomics.load(ctl, Ctl.OP) === OP_STOP) break;
    const n = Atomics.load(ctl, Ctl.N);
    const given = await runOnce(ort, session, n, seen);
    Atomics.store(ctl, Ctl.DONE, seen);
    Atomics.notify(ctl, Ctl.DONE);
    if (given) break;
  }
  await session.release();
  init.port.close();
}

const opened = await open();
if (opened) {
  const seen = Atomics.load(ctl, Ctl.REQ);
  post({ t: 'ready' });
  await serve(opened.ort, opened.session, seen);
}
