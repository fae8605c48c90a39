/**
 * Types of the records `cyntra.planner_input.v1` is made of (reference §2). The JSON Schema in
 * `schemas/planner_input.v1.schema.json` is the authority; these types mirror it.
 */
import type { BudgetBin } from './action.js';

export type DkPriority = 'P0' | 'P1' | 'P2' | 'P3';
export type DkRisk = 'low' | 'medium' | 'high' | 'critical';
export type DkSize = 'XS' | 'S' | 'M' | 'L' | 'XL';
export type RunStatus = 'success' | 'failed' | 'timeout';

/** An issue as the kernel knows it. Unknown enum values are clamped by the input builder. */
export interface Issue {
  readonly id: string;
  readonly title?: string;
  readonly description?: string | null;
  readonly dk_priority?: string | null;
  readonly dk_risk?: string | null;
  readonly dk_size?: string | null;
  readonly dk_tool_hint?: string | null;
  readonly dk_attempts?: number | null;
  readonly tags?: readonly string[] | null;
}

export interface PlannerIssue {
  issue_id: string;
  dk_priority: DkPriority;
  dk_risk: DkRisk;
  dk_size: DkSize;
  dk_tool_hint: string | null;
  dk_attempts: number;
  tags: string[];
  title?: string;
  description?: string | null;
  keywords?: string[];
  [extra: string]: unknown;
}

export interface RunGate {
  name: string;
  passed: boolean;
  score?: number;
  [extra: string]: unknown;
}

/** `run_summary.v1`: one past run, as history for later plans (reference §2, §9). */
export interface RunSummary {
  run_id: string;
  started_ms: number;
  job_type: string;
  domain: string;
  action_executed: {
    swarm_id: string | null;
    max_candidates: number | null;
    max_minutes: number | null;
    max_iterations: number | null;
  };
  outcome: { status: RunStatus; fail_codes: string[]; gates: RunGate[] };
  runtime: { duration_ms: number };
  cost_usd_est?: number | null;
  tokens_in?: number | null;
  tokens_out?: number | null;
  tags?: string[];
  issue_id?: string;
  [extra: string]: unknown;
}

export interface ValidityRule {
  description: string;
  if?: Record<string, unknown>;
  then?: Record<string, unknown>;
}

export interface ActionSpaceJson {
  swarm_ids: string[];
  max_minutes_bins: BudgetBin[];
  max_candidates_bins: BudgetBin[];
  max_iterations_bins: BudgetBin[];
  validity_rules: ValidityRule[];
}

export interface SystemState {
  active_workcells_bin: string | null;
  queue_depth_bin: string | null;
  available_toolchains: string[] | null;
  toolchain_health: Record<string, unknown> | null;
  hour_bucket: string | null;
  budget_remaining_bin: string | null;
}

export interface UniverseDefaults {
  swarm_id: string | null;
  objective_id: string | null;
}

export interface PlannerInputV1 {
  schema_version: 'cyntra.planner_input.v1';
  created_at: string;
  universe_id: string;
  job_type: string;
  universe_defaults: UniverseDefaults;
  issue: PlannerIssue;
  history: { last_n_similar_runs: RunSummary[] };
  action_space: ActionSpaceJson;
  system_state?: SystemState | null;
}
