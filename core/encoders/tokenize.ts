/**
 * tokens.v1 step 1 (reference §3.A): `planner_input.v1` → the Python planner's token strings, byte for byte.
 * Non-object sub-records (issue, history, outcome…) read as empty objects; the only coded failures are a non-object
 * input and run sort keys Python's `int()`/`str()` would reject (see run-order.ts).
 */
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { createHashMemo, type HashMemo } from './hash-bucket.js';
import { hashTokenSet } from './hash-token-set.js';
import { extractKeywords } from './keywords.js';
import { compareCodePoints, safeStr } from './python-strip.js';
import { asRecord, isRecord } from './record.js';
import { orderedRuns } from './run-order.js';

export interface TokenizeOptions {
  readonly maxSimilarRuns?: number;
  readonly maxTokensPerRunSummary?: number;
  readonly maxTokens?: number;
  /** Shared across a batch so each distinct value is hashed once. */
  readonly memo?: HashMemo;
}

export const TOKENIZE_DEFAULTS = { maxSimilarRuns: 8, maxTokensPerRunSummary: 64, maxTokens: 1024 } as const;
export const KEYWORDS_FOR_TOKENS = 16;
const FIRST_N_CODES = 8;

export function tokenizePlannerInput(input: PlannerInputV1 | unknown, opts: TokenizeOptions = {}): string[] {
  if (!isRecord(input))
    throw new PlannerError(
      ErrorCodes.ENCODER_INVALID_INPUT,
      'planner input is not a JSON object; pass a cyntra.planner_input.v1 object',
      { context: { keyPath: '' } },
    );
  const maxTokens = opts.maxTokens ?? TOKENIZE_DEFAULTS.maxTokens;
  const memo = opts.memo ?? createHashMemo();
  const out: string[] = ['[BOS]'];
  universeSection(out, input, memo);
  issueSection(out, asRecord(input.issue), memo);
  systemSection(out, input.system_state);
  historySection(out, input, opts, memo, maxTokens);
  if (out[out.length - 1] === '[SEP]') out.pop();
  out.push('[EOS]');
  return out.length > maxTokens ? out.slice(0, Math.max(0, maxTokens)) : out;
}

function kv(out: string[], key: string, value: unknown, ns: string): void {
  out.push(`[KEY:${key}]`, '[=]', `[VAL:${ns}:${safeStr(value) ?? 'NONE'}]`);
}

function nonEmptyStrings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const kept: string[] = [];
  for (const x of list) if (typeof x === 'string' && x.length > 0) kept.push(x);
  return kept;
}

function universeSection(out: string[], input: Record<string, unknown>, memo: HashMemo): void {
  const defaults = asRecord(input.universe_defaults);
  kv(out, 'UNIVERSE_ID', input.universe_id, 'UNIVERSE_ID');
  kv(out, 'JOB_TYPE', input.job_type, 'JOB_TYPE');
  kv(out, 'DEFAULT_SWARM_ID', defaults.swarm_id, 'SWARM_ID');
  const objective = safeStr(defaults.objective_id);
  if (objective !== null) out.push('[KEY:DEFAULT_OBJECTIVE]', '[=]', `[KW_HASH_${memo.bucket('kw', objective)}]`);
  out.push('[SEP]');
}

function issueSection(out: string[], issue: Record<string, unknown>, memo: HashMemo): void {
  kv(out, 'DK_PRIORITY', issue.dk_priority, 'DK_PRIORITY');
  kv(out, 'DK_RISK', issue.dk_risk, 'DK_RISK');
  kv(out, 'DK_SIZE', issue.dk_size, 'DK_SIZE');
  kv(out, 'DK_TOOL_HINT', issue.dk_tool_hint, 'TOOLCHAIN');
  const tags = nonEmptyStrings(issue.tags);
  if (tags.length > 0) out.push('[KEY:TAGS]', '[=]', ...hashTokenSet(memo, 'TAG_HASH', 'tag', tags));
  const keywords = issueKeywords(issue);
  if (keywords.length > 0) out.push('[KEY:KEYWORDS]', '[=]', ...hashTokenSet(memo, 'KW_HASH', 'kw', keywords));
  out.push('[SEP]');
}

/** `issue.keywords` when it is a list (its non-empty strings), else keywords of `title + "\n" + description`. */
export function issueKeywords(issue: Record<string, unknown>): string[] {
  if (Array.isArray(issue.keywords)) return nonEmptyStrings(issue.keywords);
  const text = `${safeStr(issue.title) ?? ''}\n${safeStr(issue.description) ?? ''}`;
  return extractKeywords(text, KEYWORDS_FOR_TOKENS);
}

function systemSection(out: string[], state: unknown): void {
  if (isRecord(state)) {
    kv(out, 'ACTIVE_WORKCELLS_BIN', state.active_workcells_bin, 'BIN');
    kv(out, 'QUEUE_DEPTH_BIN', state.queue_depth_bin, 'BIN');
    kv(out, 'HOUR_BUCKET', state.hour_bucket, 'HOUR');
    kv(out, 'BUDGET_REMAINING_BIN', state.budget_remaining_bin, 'BIN');
    // The key and [=] come whenever the list has an item, even when none is a non-empty string (§3.A).
    const list = state.available_toolchains;
    if (Array.isArray(list) && list.length > 0) {
      out.push('[KEY:AVAILABLE_TOOLCHAINS]', '[=]');
      for (const tc of Array.from(new Set(nonEmptyStrings(list))).sort(compareCodePoints))
        out.push(`[VAL:TOOLCHAIN:${tc}]`);
    }
  }
  out.push('[SEP]');
}

function historySection(
  out: string[],
  input: Record<string, unknown>,
  opts: TokenizeOptions,
  memo: HashMemo,
  maxTokens: number,
): void {
  const runs = orderedRuns(input, opts.maxSimilarRuns ?? TOKENIZE_DEFAULTS.maxSimilarRuns);
  const perRun = opts.maxTokensPerRunSummary ?? TOKENIZE_DEFAULTS.maxTokensPerRunSummary;
  for (let i = 0; i < runs.length; i++) {
    const block = runTokens(i, runs[i], memo);
    out.push(...(block.length > perRun ? block.slice(0, Math.max(0, perRun)) : block), '[SEP]');
    if (out.length >= maxTokens) {
      out.length = Math.max(0, maxTokens);
      return;
    }
  }
}

function runTokens(i: number, run: Record<string, unknown>, memo: HashMemo): string[] {
  const outcome = asRecord(run.outcome);
  const block: string[] = [`[RUN_${i}]`];
  kv(block, 'OUTCOME_STATUS', outcome.status, 'STATUS');
  kv(block, 'EXEC_SWARM_ID', asRecord(run.action_executed).swarm_id, 'SWARM_ID');
  const bin = durationBin(asRecord(run.runtime).duration_ms);
  if (bin !== null) block.push('[KEY:DURATION_BIN]', '[=]', `[VAL:DURATION_BIN:${bin}]`);
  const fails = nonEmptyStrings(outcome.fail_codes).slice(0, FIRST_N_CODES); // filter, then the first 8 (§3.A)
  if (fails.length > 0) block.push('[KEY:FAIL_CODES]', '[=]', ...hashTokenSet(memo, 'FAIL_HASH', 'fail', fails));
  const gates = failingGates(outcome.gates);
  if (gates.length > 0) block.push('[KEY:FAIL_GATES]', '[=]', ...hashTokenSet(memo, 'GATE_HASH', 'gate', gates));
  return block;
}

/** Gates with `passed === false` and a non-empty string name, in list order, then the first 8 of those (§3.A). */
function failingGates(gates: unknown): string[] {
  if (!Array.isArray(gates)) return [];
  const names: string[] = [];
  for (const g of gates) {
    if (names.length >= FIRST_N_CODES) break;
    if (isRecord(g) && g.passed === false && typeof g.name === 'string' && g.name.length > 0) names.push(g.name);
  }
  return names;
}

const DURATION_BINS: readonly (readonly [number, string])[] = [
  [1, 'LT_1S'],
  [10, '1_10S'],
  [30, '10_30S'],
  [60, '30_60S'],
  [300, '1_5M'],
  [1800, '5_30M'],
];

/** Only an integer ≥ 0 (booleans count, as Python `isinstance(x, int)`) gets a bin; seconds = ms / 1000. */
export function durationBin(ms: unknown): string | null {
  const n = ms === true ? 1 : ms === false ? 0 : ms;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return null;
  const seconds = n / 1000;
  for (const [edge, name] of DURATION_BINS) if (seconds < edge) return name;
  return 'GE_30M';
}
