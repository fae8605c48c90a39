/** features.v1 history block: one 332-float slot per run (docs/features-v1.md §History). */
import { createHashMemo, type HashMemo } from './hash-bucket.js';
import {
  CANDIDATE_BINS,
  COST_EDGES_USD,
  DURATION_EDGES_MS,
  FAIL_BUCKETS,
  FAIL_SALT,
  HISTORY_OFFSET,
  HISTORY_SLOTS,
  ITERATION_BINS,
  KNOWN_GATES,
  MAX_FAIL_CODES,
  MINUTE_BINS,
  RECENCY_EDGES_MS,
  RUN_DOMAINS,
  RUN_JOB_TYPES,
  RUN_STATUSES,
  SLOT,
  SLOT_SIZE,
  SWARMS,
} from './features-layout.js';
import { pyStrip, safeStr } from './python-strip.js';
import { asRecord, isRecord } from './record.js';
import { orderedRuns } from './run-order.js';

export function encodeHistory(
  v: Float32Array,
  input: Record<string, unknown>,
  createdMs: number | null,
  memo: HashMemo = createHashMemo(),
): void {
  const runs = orderedRuns(input, HISTORY_SLOTS);
  for (let k = 0; k < runs.length; k++) encodeRun(v, HISTORY_OFFSET + k * SLOT_SIZE, runs[k], createdMs, memo);
}

function encodeRun(
  v: Float32Array,
  base: number,
  run: Record<string, unknown>,
  createdMs: number | null,
  memo: HashMemo,
): void {
  const action = asRecord(run.action_executed);
  const outcome = asRecord(run.outcome);
  oneHotOf(v, base + SLOT.jobType, RUN_JOB_TYPES, run.job_type);
  oneHotOf(v, base + SLOT.domain, RUN_DOMAINS, run.domain);
  oneHotOrNull(v, base + SLOT.swarm, SWARMS, action.swarm_id);
  budgetBin(v, base + SLOT.candidates, CANDIDATE_BINS, action.max_candidates);
  budgetBin(v, base + SLOT.minutes, MINUTE_BINS, action.max_minutes);
  budgetBin(v, base + SLOT.iterations, ITERATION_BINS, action.max_iterations);
  oneHotOf(v, base + SLOT.status, RUN_STATUSES, outcome.status);
  failCodes(v, base + SLOT.failCodes, outcome.fail_codes, memo);
  gates(v, base + SLOT.gates, outcome.gates);
  const duration = asRecord(run.runtime).duration_ms;
  if (isNonNegative(duration)) v[base + SLOT.duration + edgeBin(DURATION_EDGES_MS, duration)] = 1;
  cost(v, base + SLOT.cost, run.cost_usd_est);
  recency(v, base + SLOT.recency, run.started_ms, createdMs);
  v[base + SLOT.valid] = 1;
}

function isNonNegative(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

/** Index of the first edge the value is below; edges.length when none. */
export function edgeBin(edges: readonly number[], x: number): number {
  let i = 0;
  while (i < edges.length && x >= edges[i]) i++;
  return i;
}

/** Exact string match (no trimming, case-sensitive); unknown or non-string → all zeros. */
export function oneHotOf(v: Float32Array, at: number, values: readonly string[], x: unknown): void {
  const i = typeof x === 'string' ? values.indexOf(x) : -1;
  if (i >= 0) v[at + i] = 1;
}

/** Like oneHotOf, with a null slot right after the values for null or a missing key. */
export function oneHotOrNull(v: Float32Array, at: number, values: readonly string[], x: unknown): void {
  if (x === null || x === undefined) v[at + values.length] = 1;
  else oneHotOf(v, at, values, x);
}

/** Finite number → nearest bin (ties to the lower); null/missing/"NA" → the NA slot after the bins; else zeros. */
function budgetBin(v: Float32Array, at: number, bins: readonly number[], x: unknown): void {
  if (x === null || x === undefined || (typeof x === 'string' && pyStrip(x).toUpperCase() === 'NA')) {
    v[at + bins.length] = 1;
    return;
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) return;
  let best = 0;
  for (let i = 1; i < bins.length; i++) if (Math.abs(bins[i] - x) < Math.abs(bins[best] - x)) best = i;
  v[at + best] = 1;
}

/** The first 5 items of the list; its non-empty strings, hashed (salt "fail") into 256 buckets. */
function failCodes(v: Float32Array, at: number, list: unknown, memo: HashMemo): void {
  if (!Array.isArray(list)) return;
  const n = Math.min(list.length, MAX_FAIL_CODES);
  for (let i = 0; i < n; i++) {
    const code: unknown = list[i];
    if (typeof code === 'string' && code.length > 0) v[at + memo.bucket(FAIL_SALT, code, FAIL_BUCKETS)] = 1;
  }
}

const GATE_INDEX: ReadonlyMap<string, number> = new Map(KNOWN_GATES.map((name, j) => [name, j]));

/** Known gate j: [present, passed]; passed = 1 when every gate item of that name has `passed === true`. */
function gates(v: Float32Array, at: number, list: unknown): void {
  if (!Array.isArray(list)) return;
  // bit j of `seen`: known gate j has an item; of `failed`: one of its items has `passed` other than true
  let seen = 0;
  let failed = 0;
  for (const g of list) {
    if (!isRecord(g)) continue;
    const name = safeStr(g.name);
    const j = name === null ? undefined : GATE_INDEX.get(name);
    if (j === undefined) continue;
    seen |= 1 << j;
    if (g.passed !== true) failed |= 1 << j;
  }
  for (let j = 0; seen >> j !== 0; j++) {
    if (((seen >> j) & 1) === 0) continue;
    v[at + 2 * j] = 1;
    if (((failed >> j) & 1) === 0) v[at + 2 * j + 1] = 1;
  }
}

function cost(v: Float32Array, at: number, x: unknown): void {
  if (x === null || x === undefined) v[at + COST_EDGES_USD.length + 1] = 1;
  else if (isNonNegative(x)) v[at + edgeBin(COST_EDGES_USD, x)] = 1;
}

/** Age = created_at − started_ms (ms), negative ages count as same day; unknown either side → zeros. */
function recency(v: Float32Array, at: number, started: unknown, createdMs: number | null): void {
  if (createdMs === null || typeof started !== 'number' || !Number.isFinite(started)) return;
  v[at + edgeBin(RECENCY_EDGES_MS, createdMs - Math.trunc(started))] = 1;
}
