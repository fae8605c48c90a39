/**
 * The shared-memory channel between an onnx session and its worker thread (onnx-thread-client.ts ↔
 * onnx-thread-main.ts). Chosen by measurement over `postMessage` with a transferred buffer (docs/performance.md):
 * a control `Int32Array` on a SharedArrayBuffer wakes the worker (`Atomics.wait`) and the caller
 * (`Atomics.waitAsync`); the batch is copied into a shared input buffer and the outputs come back in a shared output
 * buffer (onnxruntime refuses tensors over shared memory, so the worker copies the input once more). Buffers grow by
 * message: the caller posts new ones on the side port before it signals the run, and the worker drains that port
 * (`receiveMessageOnPort`) when it wakes. An error of a run travels the same way, worker → caller.
 */
import type * as Ort from 'onnxruntime-node';
import type { HeadName } from '../../core/action.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, isErrorCode } from '../../core/errors.js';
import type { OnnxSessionPlan } from './onnx-graph-check.js';
import type { HeadWidths } from './onnx-io.js';

/** Indices into the control array. */
export const Ctl = {
  /** Sequence number of the last request (caller writes, then notifies). */
  REQ: 0,
  /** Sequence number of the last finished request (worker writes, then notifies). */
  DONE: 1,
  /** Batch size of the request. */
  N: 2,
  /** 0: the outputs are in the output buffer; 1: an error was posted on the side port. */
  STATUS: 3,
  /** What the request asks: run or stop. */
  OP: 4,
  /**
   * 1: the caller has given the thread up (`terminate()` during a run); the worker ends as soon as its run returns,
   * without writing outputs. It is never terminated inside onnxruntime's native call: that aborts the whole process.
   */
  EXIT: 5,
} as const;
export const CTL_LENGTH = 8;
export const OP_RUN = 1;
export const OP_STOP = 2;

/** Sent once in `workerData`. */
export interface ThreadInit {
  readonly model: Uint8Array;
  readonly sessionOptions: Ort.InferenceSession.SessionOptions;
  readonly plan: OnnxSessionPlan;
  readonly widths: HeadWidths;
  readonly where: string;
  /** µs the thread polls for the next request after a run before it sleeps (`threadSpinUs`). */
  readonly spinUs: number;
  readonly ctl: SharedArrayBuffer;
  readonly input: SharedArrayBuffer;
  readonly output: SharedArrayBuffer;
}

/** Side-port messages. */
export type CallerMessage = {
  readonly t: 'buffers';
  readonly input: SharedArrayBuffer;
  readonly output: SharedArrayBuffer;
};
export type WorkerMessage =
  | { readonly t: 'ready' }
  | { readonly t: 'failed'; readonly error: WireError }
  | { readonly t: 'error'; readonly seq: number; readonly error: WireError };

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly context: Readonly<Record<string, unknown>>;
}

/** Bytes of the input buffer for `n` items. */
export function inputBytes(plan: OnnxSessionPlan, n: number): number {
  return plan.input.kind === 'features' ? n * plan.input.dIn * 4 : n * plan.input.seqLen * 8 * 2;
}

/** Floats of the output buffer for `n` items: every head's `[n, width]` block, in HEAD_NAMES order. */
export function outputFloats(widths: HeadWidths, n: number): number {
  return n * Object.values(widths).reduce((a, b) => a + b, 0);
}

/** Where each head's block starts in the output buffer (floats), for `n` items. */
export function headOffsets(widths: HeadWidths, heads: readonly HeadName[], n: number): Record<HeadName, number> {
  const out = {} as Record<HeadName, number>;
  let at = 0;
  for (const head of heads) {
    out[head] = at;
    at += n * widths[head];
  }
  return out;
}

/** Buffer sizing: the next power of two of items, at least 16, so a growing batch reallocates a few times only. */
export function capacityFor(n: number): number {
  let c = 16;
  while (c < n) c *= 2;
  return c;
}

/** Polls `ctl[index]` until it differs from `value` or `us` have passed; true when it changed. */
export function spinWhileEqual(ctl: Int32Array, index: number, value: number, us: number): boolean {
  if (Atomics.load(ctl, index) !== value) return true;
  if (us <= 0) return false;
  const until = performance.now() + us / 1000;
  do {
    for (let i = 0; i < 64; i++) if (Atomics.load(ctl, index) !== value) return true;
  } while (performance.now() < until);
  return Atomics.load(ctl, index) !== value;
}

/** The batch into the shared input buffer: features as float32; tokens as the ids, then the mask, both int64. */
export function copyIn(encoded: EncodedBatch, input: SharedArrayBuffer): void {
  if (encoded.kind === 'features') return void new Float32Array(input).set(encoded.data);
  if (encoded.kind !== 'tokens') throw new Error('raw batches never reach onnxruntime');
  const ids = new BigInt64Array(input);
  ids.set(encoded.inputIds);
  ids.set(encoded.attentionMask, encoded.inputIds.length);
}

/** A run's error as the worker posted it, back as a PlannerError with its code (unknown codes: INFERENCE_FAILED). */
export function fromWire(error: WireError): PlannerError {
  return new PlannerError(isErrorCode(error.code) ? error.code : ErrorCodes.INFERENCE_FAILED, error.message, {
    context: error.context,
  });
}
