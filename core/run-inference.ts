/**
 * One timed pass: encode → infer → decode, for a batch. The timer starts before encoding (the input is already
 * built) and covers the backend call: a timer races the call, and the elapsed time is checked again afterwards,
 * because an in-process backend that blocks the event loop cannot be interrupted (see `inference.isolation`).
 *
 * `whileRunning` (the planner's input hashing) runs on this thread right after the backend call has been started and
 * before it is awaited, so a backend that runs off this thread (the onnx worker thread, `isolation: process`) works
 * while it runs. Time rule: the inference clock is the wall time from the start of encoding to the result, minus
 * the time spent in `whileRunning`. The timeout race starts after `whileRunning` returns, with the budget left after
 * encoding; a result that arrived meanwhile wins the race at once (it is already settled), and the check afterwards
 * subtracts the overlapped time too. So the overlapped work never counts against `inference.timeout_ms`, and the
 * run gains at most that much wall time. A backend on this thread (onnxruntime's `run` starts in a setImmediate)
 * runs after `whileRunning`: for it, nothing changes.
 */
import type { PlannerInputV1 } from './planner-input-types.js';
import type { HeadLogits } from './backend/plugin.js';
import { decodeBatch } from './decode-batch.js';
import type { DecodeResult } from './decode.js';
import { InferenceTimeoutError, InvalidLogitsError, ModelUnavailableError } from './errors.js';
import type { LoadedModel } from './model-loader.js';
import { withTimeout } from './with-timeout.js';

export interface InferenceTimings {
  readonly encodeMs: number;
  /** From starting the backend call to its result, less the main-thread work overlapped with it (`whileRunning`). */
  readonly inferMs: number;
  readonly decodeMs: number;
  /** encode + infer + decode as above: the overlapped work is not in it. */
  readonly totalMs: number;
}

export type ItemResult = { readonly decoded: DecodeResult } | { readonly error: unknown; readonly reason: string };

export interface InferenceRun {
  readonly results: readonly ItemResult[];
  readonly timings: InferenceTimings;
  /** Time spent in `whileRunning` (0 without one). */
  readonly overlapMs: number;
}

export interface RunOptions {
  readonly timeoutMs: number;
  readonly useCalibration: boolean;
  /**
   * Called once, synchronously, right after the backend call has started (or, when encoding or starting the call
   * failed, before the error results are returned). What it throws propagates out of `runInference`.
   */
  readonly whileRunning?: () => void;
}

export async function runInference(
  model: LoadedModel,
  inputs: readonly PlannerInputV1[],
  options: RunOptions,
): Promise<InferenceRun> {
  const t0 = performance.now();
  let t1 = t0;
  let t2 = t0;
  let overlapMs = 0;
  let overlapDone = false;
  const overlap = (pending?: Promise<unknown>): void => {
    if (overlapDone || !options.whileRunning) return;
    overlapDone = true;
    const h0 = performance.now();
    try {
      options.whileRunning();
    } catch (error) {
      pending?.catch(() => undefined); // its result is dropped with the error
      throw new OverlapError(error);
    }
    overlapMs = performance.now() - h0;
  };
  try {
    const encoded = model.encoder.encodeBatch(inputs);
    t1 = performance.now();
    const controller = new AbortController();
    const started = model.session.infer({ inputs, encoded }, { signal: controller.signal });
    overlap(started);
    const remaining = Math.max(1, options.timeoutMs - (t1 - t0));
    const what = `inference on backend "${model.plugin.name}"`;
    const logits: HeadLogits[] = await withTimeout(started, remaining, what, controller);
    t2 = performance.now() - overlapMs;
    if (t2 - t0 > options.timeoutMs)
      throw new InferenceTimeoutError(
        `inference took ${(t2 - t0).toFixed(1)} ms, over the ${options.timeoutMs} ms budget`,
      );
    const results = decode(model, inputs, logits, options.useCalibration);
    return { results, timings: timings(t0, t1, t2, performance.now() - overlapMs), overlapMs };
  } catch (error) {
    if (error instanceof OverlapError) throw error.inner;
    overlap();
    const now = performance.now() - overlapMs;
    return {
      results: inputs.map(() => ({ error, reason: reasonFor(error) })),
      timings: timings(t0, t1, t2 === t0 ? now : t2, now),
      overlapMs,
    };
  }
}

/** Carries an error of `whileRunning` past the catch that turns backend errors into fallback results. */
class OverlapError extends Error {
  constructor(readonly inner: unknown) {
    super('whileRunning threw');
  }
}

function decode(
  model: LoadedModel,
  inputs: readonly PlannerInputV1[],
  logits: unknown,
  useCalibration: boolean,
): ItemResult[] {
  if (!Array.isArray(logits) || logits.length !== inputs.length) {
    throw new InvalidLogitsError(
      `backend "${model.plugin.name}" returned ${Array.isArray(logits) ? logits.length : typeof logits} results for a batch of ${inputs.length}`,
    );
  }
  const temperatures = useCalibration ? (model.bundle?.calibration ?? null) : null;
  const mode = model.bundle?.confidenceMode ?? 'geomean';
  return decodeBatch(logits as HeadLogits[], model.actionSpace, inputs, { temperatures, confidenceMode: mode }).map(
    (r): ItemResult => ('error' in r ? { error: r.error, reason: reasonFor(r.error) } : r),
  );
}

/** The spec's reason strings. */
export function reasonFor(error: unknown): string {
  if (error instanceof InferenceTimeoutError) return 'inference_timeout';
  if (error instanceof ModelUnavailableError) return 'model_unavailable';
  const name = error instanceof Error ? error.name : typeof error;
  return `inference_error_${name.replace(/[^A-Za-z0-9_]/g, '_') || 'Error'}`;
}

function timings(t0: number, t1: number, t2: number, t3: number): InferenceTimings {
  return { encodeMs: t1 - t0, inferMs: t2 - t1, decodeMs: t3 - t2, totalMs: t3 - t0 };
}
