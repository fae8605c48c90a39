/** The InputEncoder for features.v1: the spec's 3779-wide float32 vector, defined in docs/features-v1.md. */
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { itemError } from './batch-error.js';
import type { FeaturesBatch, InputEncoder } from './encoder.js';
import { encodeHistory, oneHotOf, oneHotOrNull } from './features-history.js';
import * as L from './features-layout.js';
import { createHashMemo, type HashMemo } from './hash-bucket.js';
import { compareCodePoints, pyStrip, safeStr } from './python-strip.js';
import { asRecord, isRecord } from './record.js';
import { parseRfc3339Strict } from './strict-rfc3339.js';

export { FEATURES_V1_DIM } from './features-layout.js';

export interface FeaturesEncoderOptions {
  /** The model's d_in (from config.json or the graph); must equal 3779. */
  readonly dIn?: number;
  /** Where dIn came from, for the error message. */
  readonly dInSource?: string;
}

export function createFeaturesEncoder(opts: FeaturesEncoderOptions = {}): InputEncoder {
  const dIn = opts.dIn ?? L.FEATURES_V1_DIM;
  if (dIn !== L.FEATURES_V1_DIM) {
    throw new PlannerError(
      ErrorCodes.ENCODER_DIM_MISMATCH,
      `${opts.dInSource ?? 'the model'} declares d_in ${String(dIn)}, but features.v1 produces ${L.FEATURES_V1_DIM} features; use a model trained on features.v1 (docs/features-v1.md)`,
      { context: { expected: L.FEATURES_V1_DIM, actual: dIn, file: opts.dInSource } },
    );
  }
  const memo = createHashMemo();
  return {
    id: 'features.v1',
    kind: 'features',
    encodeBatch(inputs: readonly PlannerInputV1[]): FeaturesBatch {
      const data = new Float32Array(inputs.length * dIn);
      let row = 0;
      try {
        for (; row < inputs.length; row++)
          encodeFeaturesInto(inputs[row], data.subarray(row * dIn, (row + 1) * dIn), memo);
      } catch (e) {
        throw itemError(row, 'features.v1', e);
      }
      return { kind: 'features', size: inputs.length, dIn, data };
    },
  };
}

/** One planner input → a fresh 3779-float vector. */
export function encodeFeatures(input: PlannerInputV1 | unknown, memo: HashMemo = createHashMemo()): Float32Array {
  const v = new Float32Array(L.FEATURES_V1_DIM);
  encodeFeaturesInto(input, v, memo);
  return v;
}

/** Writes into a zero-filled vector of length 3779. */
export function encodeFeaturesInto(input: PlannerInputV1 | unknown, v: Float32Array, memo: HashMemo): void {
  if (!isRecord(input))
    throw new PlannerError(
      ErrorCodes.ENCODER_INVALID_INPUT,
      'planner input is not a JSON object; pass a cyntra.planner_input.v1 object',
      { context: { keyPath: '' } },
    );
  encodeIssue(v, asRecord(input.issue), memo);
  encodeHistory(v, input, parseRfc3339Strict(input.created_at), memo);
  encodeActionSpace(v, asRecord(input.action_space));
  encodeUniverse(v, asRecord(input.universe_defaults), memo);
  encodeSystem(v, input.system_state);
}

function encodeIssue(v: Float32Array, issue: Record<string, unknown>, memo: HashMemo): void {
  oneHotOf(v, L.PRIORITY_OFFSET, L.PRIORITIES, issue.dk_priority);
  oneHotOf(v, L.RISK_OFFSET, L.RISKS, issue.dk_risk);
  oneHotOf(v, L.SIZE_OFFSET, L.SIZES, issue.dk_size);
  const attempts = issue.dk_attempts;
  if (typeof attempts === 'number' && Number.isFinite(attempts) && attempts >= 0) {
    v[L.ATTEMPTS_OFFSET + Math.min(Math.floor(attempts), L.ATTEMPTS_BINS - 1)] = 1;
  }
  hashedOrNull(v, L.TOOL_HINT_OFFSET, L.TOOL_HINT_SALT, L.TOOL_HINT_BUCKETS, issue.dk_tool_hint, memo);
  for (const tag of issueTags(issue.tags)) v[L.TAGS_OFFSET + memo.bucket(L.TAG_SALT, tag, L.TAG_BUCKETS)] = 1;
}

/** The distinct non-empty string tags, sorted by code point, first 8 (order-invariant, like the tokenizer). */
export function issueTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  const distinct = tags.length <= SMALL_TAG_LIST ? distinctSmall(tags) : Array.from(new Set(tags.filter(isTag)));
  distinct.sort(compareCodePoints);
  if (distinct.length > L.MAX_TAGS) distinct.length = L.MAX_TAGS;
  return distinct;
}

/** Up to this many items, duplicates are found by a linear scan instead of a Set (no Set per input). */
const SMALL_TAG_LIST = 32;

function distinctSmall(tags: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const t of tags) if (isTag(t) && !out.includes(t)) out.push(t);
  return out;
}

function isTag(t: unknown): t is string {
  return typeof t === 'string' && t.length > 0;
}

/** safe_str(x) null → the null flag after the buckets; else one-hot of its salted bucket mod `buckets`. */
function hashedOrNull(v: Float32Array, at: number, salt: string, buckets: number, x: unknown, memo: HashMemo): void {
  const s = safeStr(x);
  v[at + (s === null ? buckets : memo.bucket(salt, s, buckets))] = 1;
}

function encodeActionSpace(v: Float32Array, space: Record<string, unknown>): void {
  L.ACTION_GROUPS.forEach((group, g) => {
    const list = space[group.key];
    if (!Array.isArray(list)) return;
    const at = L.ACTION_SPACE_OFFSET + g * L.ACTION_GROUP_SIZE;
    const known = group.known as readonly (string | number)[];
    for (const item of list) {
      const key = actionItemKey(item, g === 0);
      const i = key === null ? -1 : known.indexOf(key);
      v[at + (i >= 0 ? i : L.ACTION_GROUP_SIZE - 1)] = 1;
    }
  });
}

/** Swarm ids match exactly; bins: integers as numbers, "NA" (stripped, any case) as "NA"; anything else is "other". */
function actionItemKey(item: unknown, isSwarm: boolean): string | number | null {
  if (isSwarm) return typeof item === 'string' ? item : null;
  if (typeof item === 'number' && Number.isInteger(item)) return item;
  if (typeof item === 'string' && pyStrip(item).toUpperCase() === 'NA') return 'NA';
  return null;
}

function encodeUniverse(v: Float32Array, defaults: Record<string, unknown>, memo: HashMemo): void {
  oneHotOrNull(v, L.DEFAULT_SWARM_OFFSET, L.SWARMS, defaults.swarm_id);
  hashedOrNull(v, L.OBJECTIVE_OFFSET, L.OBJECTIVE_SALT, L.OBJECTIVE_BUCKETS, defaults.objective_id, memo);
}

function encodeSystem(v: Float32Array, state: unknown): void {
  if (!isRecord(state)) return;
  oneHotOrNull(v, L.ACTIVE_WORKCELLS_OFFSET, L.COUNT_BINS, state.active_workcells_bin);
  oneHotOrNull(v, L.QUEUE_DEPTH_OFFSET, L.COUNT_BINS, state.queue_depth_bin);
  hourPart(v, state.hour_bucket);
  oneHotOrNull(v, L.BUDGET_OFFSET, L.BUDGET_BINS, state.budget_remaining_bin);
  const toolchains = state.available_toolchains;
  if (Array.isArray(toolchains)) {
    for (const tc of toolchains) oneHotOf(v, L.TOOLCHAINS_OFFSET, L.KNOWN_TOOLCHAINS, tc);
  }
  v[L.SYSTEM_PRESENT_INDEX] = 1;
}

const HOUR_TEXT = /^[0-9]{2}$/;

/** "00"–"05" night, "06"–"11" morning, "12"–"17" afternoon, "18"–"23" evening; null/missing → null slot; else zeros. */
function hourPart(v: Float32Array, x: unknown): void {
  if (x === null || x === undefined) {
    v[L.HOUR_OFFSET + 4] = 1;
    return;
  }
  if (typeof x !== 'string' || !HOUR_TEXT.test(x)) return;
  const hour = Number(x);
  if (hour <= 23) v[L.HOUR_OFFSET + Math.floor(hour / 6)] = 1;
}
