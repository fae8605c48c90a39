/**
 * Decoding a whole batch of backend outputs, each item under the job type its input names. Same answers as
 * `decodeJoint` (decode.ts, the reference; tested equal), computed with a table per (action space, job type): the
 * head indices of every valid action as typed arrays and each action's tie-break text, built once. The joint score
 * of an action is then four lookups into the item's per-head log-probabilities, added in the reference's order.
 * A bad item (invalid logits, no valid action) becomes an error for that item alone.
 */
import { HEAD_NAMES, tupleJson, type ActionTuple, type HeadName } from './action.js';
import type { ActionSpace } from './action-space.js';
import type { HeadLogits } from './backend/plugin.js';
import { decodeJobType } from './decode-job-type.js';
import { confidenceOf, validateLogits, type DecodeOptions, type DecodeResult } from './decode.js';
import { ErrorCodes, PlannerError } from './errors.js';
import type { PlannerInputV1 } from './planner-input-types.js';

export type DecodeOutcome = { readonly decoded: DecodeResult } | { readonly error: unknown };

/** The valid actions of one job type, by head index. */
interface ActionTable {
  readonly tuples: readonly ActionTuple[];
  readonly swarm: Int32Array;
  readonly candidates: Int32Array;
  readonly minutes: Int32Array;
  readonly iterations: Int32Array;
  /** `tupleJson` of each action: ties go to the lower text. */
  readonly tieText: readonly string[];
}

const LOG_FLOOR = 1e-12;
const tables = new WeakMap<ActionSpace, Map<string, ActionTable>>();

function tableFor(space: ActionSpace, jobType: string): ActionTable {
  let perSpace = tables.get(space);
  if (!perSpace) tables.set(space, (perSpace = new Map()));
  let table = perSpace.get(jobType);
  if (!table) {
    const tuples = space.validActions(jobType);
    const column = (head: HeadName) => Int32Array.from(tuples, (t) => space.indexOf(t)[head]);
    table = {
      tuples,
      swarm: column('swarm'),
      candidates: column('candidates'),
      minutes: column('minutes'),
      iterations: column('iterations'),
      tieText: tuples.map(tupleJson),
    };
    perSpace.set(jobType, table);
  }
  return table;
}

export function decodeBatch(
  logits: readonly HeadLogits[],
  space: ActionSpace,
  inputs: readonly PlannerInputV1[],
  options: DecodeOptions,
): DecodeOutcome[] {
  const out: DecodeOutcome[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    try {
      out[i] = { decoded: decodeWithTable(logits[i], space, decodeJobType(inputs[i].job_type), options) };
    } catch (error) {
      out[i] = { error };
    }
  }
  return out;
}

/** One item: `decodeJoint` with the valid actions read from the job type's table. */
function decodeWithTable(
  logits: HeadLogits,
  space: ActionSpace,
  jobType: string,
  options: DecodeOptions,
): DecodeResult {
  const table = tableFor(space, jobType);
  validateLogits(logits, space);
  const probs = {} as Record<HeadName, number[]>;
  for (const head of HEAD_NAMES) probs[head] = softmaxLoop(logits[head], options.temperatures?.[head] ?? 1);
  const ls = logOf(probs.swarm, 0);
  const lc = logOf(probs.candidates, 1);
  const lm = logOf(probs.minutes, 2);
  const li = logOf(probs.iterations, 3);
  const { swarm, candidates, minutes, iterations, tieText } = table;
  let best = -1;
  let bestScore = -Infinity;
  for (let k = 0; k < swarm.length; k++) {
    const score = ls[swarm[k]] + lc[candidates[k]] + lm[minutes[k]] + li[iterations[k]];
    if (best < 0 || score > bestScore || (score === bestScore && tieText[k] < tieText[best])) {
      best = k;
      bestScore = score;
    }
  }
  if (best < 0)
    throw new PlannerError(
      ErrorCodes.ACTION_SPACE_INVALID,
      `the action space has no valid action for job type "${jobType}"`,
      { context: { jobType } },
    );
  const chosen: Record<HeadName, number> = {
    swarm: probs.swarm[swarm[best]],
    candidates: probs.candidates[candidates[best]],
    minutes: probs.minutes[minutes[best]],
    iterations: probs.iterations[iterations[best]],
  };
  return { action: table.tuples[best], confidence: confidenceOf(chosen, options.confidenceMode), probs, chosen };
}

/** `softmax` (decode.ts) without the closures and intermediate arrays: the same operations in the same order. */
function softmaxLoop(logits: ArrayLike<number>, temperature: number): number[] {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i] / temperature);
  const out: number[] = new Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp(logits[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Per head, log-probabilities of the item being decoded: reused (decoding is synchronous), grown when needed. */
const logScratch: Float64Array[] = [0, 1, 2, 3].map(() => new Float64Array(16));

/** The floored logs of `p`, in head `slot`'s scratch (valid until the next item). */
function logOf(p: readonly number[], slot: number): Float64Array {
  if (logScratch[slot].length < p.length) logScratch[slot] = new Float64Array(p.length);
  const out = logScratch[slot];
  for (let i = 0; i < p.length; i++) out[i] = Math.log(Math.max(LOG_FLOOR, p[i]));
  return out;
}
