/**
 * One timed pass: encode → infer → decode, for a batch. The timer starts before encoding (the input is already
 * built) and covers the backend call: a timer races the call, and the elapsed time is checked again afterwards,
 * because an in-process backend that blocks the event loop cannot be interrupted (see `inference.isolation`).
 */
import type { PlannerInputV1 } from './planner-input-types.js';
import { decodeBatch } from './decode-batch.js';
import type { DecodeResult } from './decode.js';
import { InferenceTimeoutError, InvalidLogitsError, ModelUnavailableError } from './errors.js';
import type { LoadedModel } from './model-loader.js';
import { withTimeout } from './with-timeout.js';

export interface InferenceTimings {
  readonly encodeMs: number;
  readonly inferMs: number;
  readonly decodeMs: number;
  readonly totalMs: number;
}

export type ItemResult = { readonly decoded: DecodeResult } | { readonly error: unknown; readonly reason: string };

export interface InferenceRun {
  readonly results: readonly ItemResult[];
  readonly timings: InferenceTimings;
}

export interface RunOptions {
  readonly timeoutMs: number;
  readonly useCalibration: boolean;
}

export async function runInference(
  model: LoadedModel,
  inputs: readonly PlannerInputV1[],
  options: RunOptions,
): Promise<InferenceRun> {
  const t0 = performance.now();
  let t1 = t0;
  let t2 = t0;
  try {
    const encoded = model.encoder.encodeBatch(inputs);
    t1 = performance.now();
    const controller = new AbortController();
    const remaining = Math.max(1, options.timeoutMs - (t1 - t0));
    const logits = await withTimeout(
      model.session.infer({ inputs, encoded }, { signal: controller.signal }),
      remaining,
      `inference on backend "${model.plugin.name}"`,
      controller,
    );
    t2 = performance.now();
    if (t2 - t0 > options.timeoutMs)
      throw new InferenceTimeoutError(
        `inference took ${(t2 - t0).toFixed(1)} ms, over the ${options.timeoutMs} ms budget`,
      );
    if (!Array.isArray(logits) || logits.length !== inputs.length) {
      throw new InvalidLogitsError(
        `backend "${model.plugin.name}" returned ${Array.isArray(logits) ? logits.length : typeof logits} results for a batch of ${inputs.length}`,
      );
    }
    const temperatures = options.useCalibration ? (model.bundle?.calibration ?? null) : null;
    const mode = model.bundle?.confidenceMode ?? 'geomean';
    const results = decodeBatch(logits, model.actionSpace, inputs, { temperatures, confidenceMode: mode }).map(
      (r): ItemResult => ('error' in r ? { error: r.error, reason: reasonFor(r.error) } : r),
    );
    return { results, timings: timings(t0, t1, t2, performance.now()) };
  } catch (error) {
    const now = performance.now();
    return {
      results: inputs.map(() => ({ error, reason: reasonFor(error) })),
      timings: timings(t0, t1, t2 === t0 ? now : t2, now),
    };
  }
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
