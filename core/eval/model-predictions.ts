/**
 * A bundle's model over dataset rows, for offline evaluation: raw logits in batches (one backend call per batch;
 * a failing batch is retried row by row so one bad row costs only itself), then the planner's own decoding with the
 * bundle's calibration and confidence convention, without the gate (no threshold, no timeout, no caps).
 */
import { HEAD_NAMES, type ActionTuple, type HeadName } from '../action.js';
import type { HeadLogits } from '../backend/plugin.js';
import type { Temperatures } from '../calibration.js';
import { decodeJoint } from '../decode.js';
import { decodeJobType } from '../decode-job-type.js';
import { describeError } from '../errors.js';
import type { LoadedModel } from '../model-loader.js';
import type { PlannerInputV1 } from '../planner-input-types.js';

export interface ModelRow {
  /** The joint decode (what the model would plan before the gate). */
  readonly action: ActionTuple;
  readonly confidence: number;
  /** Raw, uncalibrated logits. */
  readonly logits: HeadLogits;
  /** ln(max(1e-12, p)) of the calibrated per-head probabilities: what candidate scores add up. */
  readonly logp: Readonly<Record<HeadName, number[]>>;
}

export type ModelRowResult = ModelRow | { readonly error: string };

export interface PredictRowsOptions {
  readonly batchSize: number;
  /** Called after each batch with (rows done, rows in total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function rawLogits(
  model: LoadedModel,
  inputs: readonly PlannerInputV1[],
  options: PredictRowsOptions,
): Promise<(HeadLogits | { error: string })[]> {
  const out: (HeadLogits | { error: string })[] = [];
  for (let start = 0; start < inputs.length; start += options.batchSize) {
    const batch = inputs.slice(start, start + options.batchSize);
    try {
      out.push(...(await inferBatch(model, batch)));
    } catch {
      for (const input of batch)
        out.push(
          await inferBatch(model, [input]).then(
            (r) => r[0],
            (e: unknown) => ({ error: describeError(e) }),
          ),
        );
    }
    options.onProgress?.(Math.min(inputs.length, start + batch.length), inputs.length);
  }
  return out;
}

async function inferBatch(model: LoadedModel, inputs: readonly PlannerInputV1[]): Promise<HeadLogits[]> {
  const logits = await model.session.infer({ inputs, encoded: model.encoder.encodeBatch(inputs) });
  if (!Array.isArray(logits) || logits.length !== inputs.length)
    throw new Error(
      `backend returned ${Array.isArray(logits) ? logits.length : typeof logits} results for ${inputs.length} inputs`,
    );
  return logits;
}

export async function predictRows(
  model: LoadedModel,
  inputs: readonly PlannerInputV1[],
  options: PredictRowsOptions,
): Promise<ModelRowResult[]> {
  const logits = await rawLogits(model, inputs, options);
  const temperatures = model.bundle?.calibration ?? null;
  return logits.map((l, i) => ('error' in l ? l : decodeRow(model, l, inputs[i], temperatures)));
}

export function decodeRow(
  model: LoadedModel,
  logits: HeadLogits,
  input: PlannerInputV1,
  temperatures: Temperatures | null,
): ModelRowResult {
  try {
    const mode = model.bundle?.confidenceMode ?? 'geomean';
    const d = decodeJoint(logits, model.actionSpace, decodeJobType(input.job_type), {
      temperatures,
      confidenceMode: mode,
    });
    const logp = {} as Record<HeadName, number[]>;
    for (const head of HEAD_NAMES) logp[head] = d.probs[head].map((p) => Math.log(Math.max(1e-12, p)));
    return { action: d.action, confidence: d.confidence, logits, logp };
  } catch (error) {
    return { error: describeError(error) };
  }
}
