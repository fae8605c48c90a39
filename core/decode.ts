/**
 * Decoding four logit vectors into one valid action.
 * Temperature calibration per head, softmax, then JOINT decoding over the valid actions of the job type (argmax of
 * the summed log-probabilities; ties go to the lower tuple text, as the Python planner does). The spec's per-head
 * argmax is not used: it can decode `serial_handoff` with 3 candidates.
 */
import { HEAD_NAMES, tupleJson, type ActionTuple, type HeadName } from './action.js';
import type { ActionSpace } from './action-space.js';
import type { HeadLogits } from './backend/plugin.js';
import type { Temperatures } from './calibration.js';
import { ErrorCodes, InvalidLogitsError, PlannerError } from './errors.js';

export type ConfidenceMode = 'geomean' | 'min';

export interface DecodeOptions {
  /** Null: no calibration (all temperatures 1). */
  readonly temperatures: Temperatures | null;
  readonly confidenceMode: ConfidenceMode;
}

export interface DecodeResult {
  readonly action: ActionTuple;
  readonly confidence: number;
  /** Calibrated per-head probabilities (the record's `probs`). */
  readonly probs: Readonly<Record<HeadName, number[]>>;
  /** Probability of the chosen class of each head. */
  readonly chosen: Readonly<Record<HeadName, number>>;
}

const LOG_FLOOR = 1e-12;

/** Throws InvalidLogitsError when a head has the wrong length or a non-finite value. */
export function validateLogits(logits: HeadLogits, space: ActionSpace): void {
  for (const head of HEAD_NAMES) {
    const v = logits?.[head];
    if (!(v instanceof Float32Array) && !Array.isArray(v)) {
      throw new InvalidLogitsError(`head "${head}" is missing from the backend's output`, { context: { head } });
    }
    if (v.length !== space.headSize(head)) {
      throw new InvalidLogitsError(
        `head "${head}" has ${v.length} logits but the action space has ${space.headSize(head)} classes`,
        {
          context: { head, got: v.length, expected: space.headSize(head) },
        },
      );
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new InvalidLogitsError(`head "${head}" logit ${i} is ${v[i]}; the model produced a non-finite value`, {
          context: { head, index: i },
        });
      }
    }
  }
}

/** Max-subtracted softmax of logits / temperature, in float64. */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / temperature);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i] / temperature - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function decodeJoint(
  logits: HeadLogits,
  space: ActionSpace,
  jobType: string,
  options: DecodeOptions,
): DecodeResult {
  validateLogits(logits, space);
  const probs = {} as Record<HeadName, number[]>;
  for (const head of HEAD_NAMES) probs[head] = softmax(logits[head], options.temperatures?.[head] ?? 1);
  const logp = {} as Record<HeadName, number[]>;
  for (const head of HEAD_NAMES) logp[head] = probs[head].map((p) => Math.log(Math.max(LOG_FLOOR, p)));

  let best: ActionTuple | null = null;
  let bestScore = -Infinity;
  for (const t of space.validActions(jobType)) {
    const idx = space.indexOf(t);
    const score =
      logp.swarm[idx.swarm] +
      logp.candidates[idx.candidates] +
      logp.minutes[idx.minutes] +
      logp.iterations[idx.iterations];
    if (best === null || score > bestScore || (score === bestScore && tupleJson(t) < tupleJson(best))) {
      best = t;
      bestScore = score;
    }
  }
  if (best === null) {
    throw new PlannerError(
      ErrorCodes.ACTION_SPACE_INVALID,
      `the action space has no valid action for job type "${jobType}"`,
      { context: { jobType } },
    );
  }
  const idx = space.indexOf(best);
  const chosen = {} as Record<HeadName, number>;
  for (const head of HEAD_NAMES) chosen[head] = probs[head][idx[head]];
  return { action: best, confidence: confidenceOf(chosen, options.confidenceMode), probs, chosen };
}

/** `geomean` (spec): (p_s·p_c·p_m·p_i)^(1/4). `min` (Python planner): the smallest of the four. */
export function confidenceOf(chosen: Readonly<Record<HeadName, number>>, mode: ConfidenceMode): number {
  const ps = HEAD_NAMES.map((h) => chosen[h]);
  const c =
    mode === 'min'
      ? Math.min(...ps)
      : Math.exp(ps.reduce((a, p) => a + Math.log(Math.max(LOG_FLOOR, p)), 0) / ps.length);
  return Math.min(1, Math.max(0, c));
}
