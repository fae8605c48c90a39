/** One line of the run's summary: what was planned and how it went, read back from a finished manifest. */
import type { WorkcellManifest } from './dispatcher.js';

export interface IssueReport {
  readonly index: number;
  readonly total: number;
  readonly issueId: string;
  readonly workcellId: string;
  /** True when a finished manifest from an earlier run was found and the issue was not run again. */
  readonly skipped: boolean;
  readonly swarm: string;
  readonly candidates: number | null;
  readonly minutes: number | null;
  readonly iterations: number | null;
  readonly confidence: number | null;
  readonly backend: string;
  readonly mode: string;
  readonly fallbackReason: string | null;
  readonly outcome: string;
  readonly durationMs: number | null;
}

export function reportOf(
  m: WorkcellManifest,
  position: { index: number; total: number },
  skipped: boolean,
): IssueReport {
  const plan = m.planner.executed_plan;
  return {
    ...position,
    issueId: m.issue_id,
    workcellId: m.workcell_id,
    skipped,
    swarm: plan.swarm_id_executed,
    candidates: plan.max_candidates_executed,
    minutes: plan.timeout_seconds_executed === null ? null : Math.floor(plan.timeout_seconds_executed / 60),
    iterations: plan.max_iterations_executed,
    // The model's own confidence when a model ran (also on fallbacks), else the planned action's.
    confidence: m.planner.model_action?.confidence ?? m.planner.planned_action?.confidence ?? null,
    backend: m.planner.backend,
    mode: m.planner.mode,
    fallbackReason: plan.fallback_reason,
    outcome: m.run?.status ?? 'unknown',
    durationMs: m.run?.duration_ms ?? null,
  };
}
