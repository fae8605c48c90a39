/**
 * The confidence-threshold sweep: for each threshold t, the model "decides" the rows with confidence ≥ t (the gate
 * falls back below t). Coverage is the share decided; on the decided rows the model's exact match (labelled rows)
 * and pass rate (benched rows) are set against the heuristic's exact match and the baseline's pass rate on the same
 * rows; `gated_*` is the whole policy the kernel would run (model where decided, heuristic/baseline elsewhere).
 */

export interface SweepRow {
  readonly confidence: number;
  /** Null when the row has no label. */
  readonly modelExact: boolean | null;
  readonly heuristicExact: boolean | null;
  /** Null when the row has no bench candidates. */
  readonly modelPass: boolean | null;
  readonly baselinePass: boolean | null;
}

export interface SweepPoint {
  readonly threshold: number;
  readonly decided: number;
  readonly coverage: number | null;
  readonly model_exact_match: number | null;
  readonly heuristic_exact_match: number | null;
  readonly gated_exact_match: number | null;
  readonly model_pass_rate: number | null;
  readonly baseline_pass_rate: number | null;
  readonly gated_pass_rate: number | null;
}

export interface ThresholdRecommendation extends SweepPoint {
  readonly target_coverage: number;
}

function share(flags: readonly boolean[]): number | null {
  return flags.length === 0 ? null : flags.filter(Boolean).length / flags.length;
}

function present<T>(values: readonly (T | null)[]): T[] {
  return values.filter((v): v is T => v !== null);
}

export function sweepPoint(rows: readonly SweepRow[], threshold: number): SweepPoint {
  const decided = rows.filter((r) => r.confidence >= threshold);
  const labelled = rows.filter((r) => r.modelExact !== null);
  const benched = rows.filter((r) => r.modelPass !== null);
  const isDecided = (r: SweepRow): boolean => r.confidence >= threshold;
  return {
    threshold,
    decided: decided.length,
    coverage: rows.length === 0 ? null : decided.length / rows.length,
    model_exact_match: share(present(decided.map((r) => r.modelExact))),
    heuristic_exact_match: share(present(decided.map((r) => r.heuristicExact))),
    gated_exact_match: share(labelled.map((r) => (isDecided(r) ? r.modelExact! : r.heuristicExact!))),
    model_pass_rate: share(present(decided.map((r) => r.modelPass))),
    baseline_pass_rate: share(present(decided.map((r) => r.baselinePass))),
    gated_pass_rate: share(benched.map((r) => (isDecided(r) ? r.modelPass! : r.baselinePass!))),
  };
}

/** Thresholds 0, 1/steps, …, 1. */
export function thresholdSweep(rows: readonly SweepRow[], steps = 20): SweepPoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => sweepPoint(rows, i / steps));
}

/**
 * The highest threshold (floored to 3 decimals, as the gate's reason prints it) at which the model still decides
 * at least `target` of the rows; null with no rows.
 */
export function recommendThreshold(rows: readonly SweepRow[], target: number): ThresholdRecommendation | null {
  if (rows.length === 0) return null;
  const sorted = rows.map((r) => r.confidence).sort((a, b) => b - a);
  const k = Math.min(rows.length, Math.max(1, Math.ceil(target * rows.length - 1e-9)));
  const threshold = Math.floor(sorted[k - 1] * 1000) / 1000;
  return { target_coverage: target, ...sweepPoint(rows, threshold) };
}
