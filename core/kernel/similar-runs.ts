/**
 * Similar-runs history (reference §9): same job type, started strictly before now; score
 * 0.6·Jaccard(tags) + 0.3·Jaccard(∅, failure signals) (always 0) + 0.1·recency; top N by
 * (score desc, started desc, run_id asc), then most recent first (started desc, run_id asc).
 */
import type { RunSummary } from '../planner-input-types.js';

export const SIMILAR_RUNS_N = 8;
const DAY_MS = 86_400_000;

export interface SimilarRunsQuery {
  readonly jobType: string;
  readonly startedMs: number;
  readonly tags: readonly string[];
}

export function selectSimilarRuns(
  query: SimilarRunsQuery,
  runs: readonly RunSummary[],
  n = SIMILAR_RUNS_N,
): RunSummary[] {
  const scored = runs
    .filter((r) => Number.isInteger(r.started_ms) && r.started_ms < query.startedMs && r.job_type === query.jobType)
    .map((r) => ({ run: r, score: similarityScore(query, r) }));
  scored.sort(
    (a, b) => b.score - a.score || b.run.started_ms - a.run.started_ms || compare(a.run.run_id, b.run.run_id),
  );
  return scored
    .slice(0, n)
    .map((s) => s.run)
    .sort((a, b) => b.started_ms - a.started_ms || compare(a.run_id, b.run_id));
}

export function similarityScore(query: SimilarRunsQuery, run: RunSummary): number {
  const tags = jaccard(new Set(query.tags), new Set(run.tags ?? []));
  const failures = jaccard(new Set<string>(), failureSignals(run));
  return 0.6 * tags + 0.3 * failures + 0.1 * recency(query.startedMs - run.started_ms);
}

/** Jaccard(∅, ∅) = 0. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const union = new Set([...a, ...b]).size;
  if (union === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / union;
}

export function recency(ageMs: number): number {
  const days = ageMs / DAY_MS;
  const bucket = days < 1 ? 0 : days < 7 ? 1 : days < 30 ? 2 : 3;
  return 1 / (1 + bucket);
}

function failureSignals(run: RunSummary): Set<string> {
  return new Set([...(run.outcome?.fail_codes ?? []), ...(run.outcome?.gates ?? []).map((g) => `gate:${g.name}`)]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
