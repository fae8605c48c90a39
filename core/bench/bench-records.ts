/**
 * The best-of-K formats of reference §13.2 (`cyntra.planner_best_of_k_bench.v1`): per-candidate results, the winner
 * rule, records, and `bench_config_hash` = SHA-256 of the canonical JSON of the bench configuration.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

export const BENCH_SCHEMA_VERSION = 'cyntra.planner_best_of_k_bench.v1';
export const BENCH_CONFIG_SCHEMA_VERSION = 'cyntra.planner_best_of_k_config.v1';
/** Names our candidate rule (its RNG differs from Python's, so the hash must too). */
export const BENCH_SAMPLING = 'baseline_other_swarm_then_shuffle:mulberry32';
export const BENCH_RESULTS_SCHEMA_ID = 'https://cyntra-planner/schemas/best-of-k-results.json';
export const BENCH_REPORT_SCHEMA_ID = 'https://cyntra-planner/schemas/best-of-k-report.json';

export type ActionArray = [string, number | string, number | string, number | string];

export interface BenchCandidate {
  action: ActionArray;
  verified: boolean;
  status: string;
  duration_ms: number | null;
  cost_usd: number | null;
  workcell_id: string;
  details: Record<string, unknown>;
}

export interface BenchRecord {
  bench_config_hash: string;
  issue_id: string;
  title: string;
  job_type: string;
  candidates: BenchCandidate[];
  winner: BenchCandidate | null;
}

export interface SkippedRecord {
  issue_id: string;
  title: string;
  job_type: string;
  skipped: true;
  skip_reason: string;
}

export interface BenchConfig {
  universe_id: string;
  universe_defaults: { swarm_id: string | null; objective_id: string | null };
  action_space: unknown;
  k: number;
  seed: number;
  sampling: string;
  toolchain_override: string | null;
}

export function benchConfigHash(config: BenchConfig): string {
  return createHash('sha256')
    .update(canonicalJson({ schema_version: BENCH_CONFIG_SCHEMA_VERSION, ...config }), 'utf8')
    .digest('hex');
}

/** Python's default `json.dumps` text of an action array (separators `, `), used as the last tie-break. */
function actionText(a: ActionArray): string {
  return `[${a.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/**
 * The winner: among verified candidates if any, else all, the minimum of (0 if verified else 1, duration_ms or
 * 2^31−1, cost_usd or 1e9, the action's JSON text). Null for no candidates.
 */
export function pickWinner(candidates: readonly BenchCandidate[]): BenchCandidate | null {
  const pool = candidates.some((c) => c.verified) ? candidates.filter((c) => c.verified) : candidates;
  const key = (c: BenchCandidate): [number, number, number, string] => [
    c.verified ? 0 : 1,
    c.duration_ms ?? 2 ** 31 - 1,
    c.cost_usd ?? 1e9,
    actionText(c.action),
  ];
  let best: BenchCandidate | null = null;
  for (const c of pool) {
    if (best === null || compareKeys(key(c), key(best)) < 0) best = c;
  }
  return best;
}

function compareKeys(a: [number, number, number, string], b: [number, number, number, string]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}
