/**
 * The `cyntra-planner report` data (`cyntra-planner.report.v1`, schemas/planner-report.schema.json): what a set of
 * workcell manifests says about a model's rollout. The HTML, JSON and table outputs all render this one object.
 */

export const REPORT_SCHEMA_VERSION = 'cyntra-planner.report.v1';
export const REPORT_SCHEMA_ID = 'https://cyntra-planner/schemas/planner-report.json';

/** Why a workcell's manifest was left out of the figures. */
export type SkipKind = 'truncated' | 'foreign_schema' | 'unreadable' | 'invalid';

export interface SkippedManifest {
  readonly file: string;
  readonly kind: SkipKind;
  readonly detail: string;
}

export interface CountRate {
  readonly key: string;
  readonly count: number;
  readonly rate: number;
}

export interface TimeBucket {
  readonly start: string;
  readonly end: string;
  readonly decisions: number;
  readonly fallbacks: number;
  readonly fallback_rate: number | null;
}

export interface HeadAgreement {
  readonly compared: number;
  readonly exact: number | null;
  readonly swarm: number | null;
  readonly candidates: number | null;
  readonly minutes: number | null;
  readonly iterations: number | null;
}

export interface OutcomeRow {
  readonly key: string;
  readonly count: number;
  readonly success: number;
  readonly failed: number;
  readonly timeout: number;
  readonly success_rate: number | null;
  readonly duration_ms_mean: number | null;
  readonly duration_ms_p50: number | null;
  /** Sum of `runtime.cost_usd_est` over the runs that recorded one; null when none did. */
  readonly cost_usd_total: number | null;
  readonly cost_recorded: number;
}

export interface HistogramBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

export interface SweepPoint {
  readonly threshold: number;
  readonly fallback_rate: number | null;
}

export interface LatencyRow {
  readonly backend: string;
  readonly count: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

export interface ModelVersionRow {
  readonly digest: string | null;
  readonly checkpoint_id: string;
  readonly decisions: number;
  readonly fallbacks: number;
}

export interface ChallengerRow {
  readonly name: string;
  readonly predictions: number;
  /** Predictions that failed, timed out or fell back to the heuristic inside the challenger. */
  readonly fallbacks: number;
  readonly by_status: Record<string, number>;
  readonly agreement_with_champion: HeadAgreement;
  /** Runs that succeeded whose executed swarm the challenger also chose, over runs that succeeded. */
  readonly swarm_agreement_on_success: number | null;
  readonly swarm_agreement_on_failure: number | null;
  readonly latency_ms_p50: number | null;
  readonly latency_ms_p99: number | null;
}

export interface ReloadEvent {
  readonly at: string;
  readonly trigger: string;
  readonly result: string;
  readonly digest: string | null;
  readonly reason: string | null;
}

export interface PlannerReport {
  readonly schema_version: typeof REPORT_SCHEMA_VERSION;
  readonly generated_at: string;
  readonly workcells: string;
  readonly since: string | null;
  readonly manifests: {
    readonly found: number;
    readonly used: number;
    /** Finished manifests (with an outcome); the others are still `dispatched`. */
    readonly finished: number;
    /** Left out by `--since`. */
    readonly before_since: number;
    readonly skipped: readonly SkippedManifest[];
  };
  readonly modes: Record<string, number>;
  readonly decisions: {
    readonly total: number;
    /** Issues the planner was asked about (not kept out by a gate). */
    readonly planner_asked: number;
    readonly by_source: readonly CountRate[];
    readonly fallback_rate: number | null;
    readonly by_reason: readonly CountRate[];
    readonly caps: readonly CountRate[];
    readonly over_time: readonly TimeBucket[];
  };
  readonly shadow: HeadAgreement;
  readonly outcomes: { readonly by_source: readonly OutcomeRow[]; readonly by_action: readonly OutcomeRow[] };
  readonly confidence: {
    readonly count: number;
    readonly histogram: readonly HistogramBin[];
    readonly sweep: readonly SweepPoint[];
  };
  readonly latency: readonly LatencyRow[];
  readonly models: readonly ModelVersionRow[];
  readonly challengers: readonly ChallengerRow[];
  /** Hot reloads recorded in `<workcells>/planner-reloads.jsonl`. */
  readonly reloads: {
    readonly loaded: number;
    readonly refused: number;
    readonly unchanged: number;
    readonly events: readonly ReloadEvent[];
  };
}
