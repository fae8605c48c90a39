/**
 * Outcome metrics of reference §13.4 over best-of-K bench rows: a policy picks one of each row's benched
 * candidates and inherits what that candidate achieved.
 * - Oracle: the bench winner order, the minimum of `(0 if verified else 1, duration_ms or 2^31-1, cost_usd or 1e9,
 *   json.dumps(action, sort_keys=True))` (Python's `or`: a duration or cost of 0 counts as missing).
 * - Regret (only where the oracle passed and has a duration): the chosen duration when the chosen candidate passed
 *   and has one, else the largest candidate duration + 1, minus the oracle's duration.
 * - A rate with no denominator is null, except `pass_rate`, which is 0.
 */
import { sameAction } from './action-data.js';
import type { BenchCandidate } from './dataset-reader.js';
import { compareCodePoints, pyJsonDumps } from './py-data.js';
import { mean } from '../report/report-stats.js';

export interface OutcomeMetrics {
  readonly examples: number;
  readonly pass_rate: number;
  readonly mean_time_to_pass_ms: number | null;
  readonly duration_per_pass_ms: number | null;
  readonly cost_per_pass_usd: number | null;
  readonly oracle_match_rate: number | null;
  readonly mean_regret_ms: number | null;
}

/** What one policy's choice on one row achieved. */
export interface ChosenOutcome {
  readonly verified: boolean;
  readonly durationMs: number | null;
  readonly costUsd: number | null;
  readonly oracleMatch: boolean;
  /** Null where the oracle did not pass (regret undefined). */
  readonly regretMs: number | null;
}

const MAX_DURATION = 2 ** 31 - 1;

type OracleKey = readonly [number, number, number, string];

function oracleKey(c: BenchCandidate): OracleKey {
  return [c.verified ? 0 : 1, c.durationMs || MAX_DURATION, c.costUsd || 1e9, pyJsonDumps(c.rawAction)];
}

function compareKeys(a: OracleKey, b: OracleKey): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  return compareCodePoints(a[3], b[3]);
}

/** Index of the bench winner (the first of equal keys). */
export function oracleIndex(candidates: readonly BenchCandidate[]): number {
  let best = 0;
  for (let i = 1; i < candidates.length; i++)
    if (compareKeys(oracleKey(candidates[i]), oracleKey(candidates[best])) < 0) best = i;
  return best;
}

function actionsMatch(a: BenchCandidate, b: BenchCandidate): boolean {
  if (a.action !== null && b.action !== null) return sameAction(a.action, b.action);
  return pyJsonDumps(a.rawAction) === pyJsonDumps(b.rawAction);
}

export function chosenOutcome(candidates: readonly BenchCandidate[], chosen: number): ChosenOutcome {
  const c = candidates[chosen];
  const oracle = candidates[oracleIndex(candidates)];
  let regretMs: number | null = null;
  if (oracle.verified && oracle.durationMs !== null) {
    const penalty = Math.max(0, ...candidates.map((x) => x.durationMs ?? 0)) + 1;
    const took = c.verified && c.durationMs !== null ? c.durationMs : penalty;
    regretMs = took - oracle.durationMs;
  }
  return {
    verified: c.verified,
    durationMs: c.durationMs,
    costUsd: c.costUsd,
    oracleMatch: actionsMatch(c, oracle),
    regretMs,
  };
}

export function outcomeMetrics(outcomes: readonly ChosenOutcome[]): OutcomeMetrics {
  const n = outcomes.length;
  const passed = outcomes.filter((o) => o.verified);
  const passes = passed.length;
  const passDurations = passed.map((o) => o.durationMs).filter((d): d is number => d !== null);
  const totalDuration = outcomes.reduce((s, o) => s + (o.durationMs ?? 0), 0);
  const totalCost = outcomes.reduce((s, o) => s + (o.costUsd ?? 0), 0);
  const regrets = outcomes.map((o) => o.regretMs).filter((r): r is number => r !== null);
  return {
    examples: n,
    pass_rate: n === 0 ? 0 : passes / n,
    mean_time_to_pass_ms: mean(passDurations),
    duration_per_pass_ms: passes === 0 ? null : totalDuration / passes,
    cost_per_pass_usd: passes === 0 ? null : totalCost / passes,
    oracle_match_rate: n === 0 ? null : outcomes.filter((o) => o.oracleMatch).length / n,
    mean_regret_ms: mean(regrets),
  };
}
