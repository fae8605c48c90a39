/**
 * The dispatcher (spec §4.3, reference §8): turns a plan into `executed_plan.v1` and the workcell manifest.
 * Executed budgets come from the action; an NA bin means the kernel's default; every value is clamped by the safety
 * caps. `fallback_applied` and `fallback_reason` are always written.
 */
import { isNA, type BudgetBin } from '../action.js';
import type { ExecutedPlanRecord } from '../records.js';
import { rfc3339 } from '../time.js';
import type { KernelConfig } from './kernel-config-types.js';
import type { RunResult } from './runner.js';
import type { IssuePlan } from './scheduler.js';
import { HEURISTIC_BACKEND } from '../backend/registry.js';

export const MANIFEST_SCHEMA_VERSION = 'cyntra-planner.workcell_manifest.v1';
export const MANIFEST_SCHEMA_ID = 'https://cyntra-planner/schemas/workcell-manifest.json';

export interface PlannerSectionRecord {
  planner_input: IssuePlan['input'];
  /** The spec's name. */
  planned_action: IssuePlan['record'];
  /** The Python kernel's name: the same object. */
  planner_action: IssuePlan['record'];
  executed_plan: ExecutedPlanRecord;
  timeout_seconds_override: number | null;
  mode: IssuePlan['mode'];
  /** The backend the planner served from (the loaded one). */
  backend: string;
  /** What `model.type` asked for (`auto`, a backend name, or `heuristic` when the planner is disabled). */
  requested_backend: string;
  /** Whose action the record carries: `heuristic` on any fallback or gate, else `backend`. */
  answering_backend: string;
  /** Backends that failed to load before `backend` did (backend, stage, code, message); empty when none failed. */
  load_attempts: { backend: string; stage: string; code: string; message: string }[];
  gate_reason: string | null;
  /**
   * What the model itself decoded, even when the gate did not use it (low confidence, caps, shadow mode); null when
   * no model ran (heuristic backend, model unavailable, inference error or timeout, planner not asked).
   */
  model_action: ModelActionRecord | null;
}

export interface ModelActionRecord {
  swarm_id: string;
  budgets: {
    max_candidates_bin: number | string;
    max_minutes_bin: number | string;
    max_iterations_bin: number | string;
  };
  confidence: number;
}

export interface WorkcellManifest {
  schema_version: typeof MANIFEST_SCHEMA_VERSION;
  workcell_id: string;
  issue_id: string;
  job_type: string;
  created_at: string;
  status: 'dispatched' | 'finished';
  issue: Record<string, unknown>;
  planner: PlannerSectionRecord;
  run: ManifestRun | null;
}

export interface ManifestRun {
  status: RunResult['status'];
  started_at: string;
  duration_ms: number;
  winner: number | null;
  candidates: { index: number; status: string; exit_code: number | null; signal: string | null; duration_ms: number }[];
}

export interface Dispatch {
  readonly executedPlan: ExecutedPlanRecord;
  readonly manifest: WorkcellManifest;
}

export function dispatch(plan: IssuePlan, ctx: { config: KernelConfig; workcellId: string; now: number }): Dispatch {
  const executedPlan = executedPlanOf(plan, ctx.config);
  const manifest: WorkcellManifest = {
    schema_version: MANIFEST_SCHEMA_VERSION,
    workcell_id: ctx.workcellId,
    issue_id: plan.issue.id,
    job_type: plan.jobType,
    created_at: rfc3339(ctx.now),
    status: 'dispatched',
    issue: { ...plan.issue },
    planner: {
      planner_input: plan.input,
      planned_action: plan.record,
      planner_action: plan.record,
      executed_plan: executedPlan,
      timeout_seconds_override: isNA(plan.action.max_minutes_bin) ? null : executedPlan.timeout_seconds_executed,
      mode: plan.mode,
      backend: plan.backend,
      requested_backend: plan.requestedBackend ?? plan.backend,
      answering_backend: answeringBackend(plan),
      load_attempts: (plan.loadAttempts ?? []).map((a) => ({
        backend: a.backend,
        stage: a.stage,
        code: a.code,
        message: a.message,
      })),
      gate_reason: plan.gateReason,
      model_action: modelActionOf(plan),
    },
    run: null,
  };
  return { executedPlan, manifest };
}

/** The heuristic whenever the record is an abstention (fallback, low confidence, shadow) or the planner was gated out. */
function answeringBackend(plan: IssuePlan): string {
  return plan.record !== null && !plan.record.abstain_to_default && plan.gateReason === null
    ? plan.backend
    : HEURISTIC_BACKEND;
}

function modelActionOf(plan: IssuePlan): ModelActionRecord | null {
  const t = plan.trace;
  if (!t || t.modelAction === null || t.confidence === null || plan.backend === HEURISTIC_BACKEND) return null;
  const a = t.modelAction;
  return {
    swarm_id: a.swarm_id,
    budgets: {
      max_candidates_bin: a.max_candidates_bin,
      max_minutes_bin: a.max_minutes_bin,
      max_iterations_bin: a.max_iterations_bin,
    },
    confidence: t.confidence,
  };
}

export function executedPlanOf(plan: IssuePlan, config: KernelConfig): ExecutedPlanRecord {
  const { caps } = config.planner;
  const d = config.kernel.defaults;
  const a = plan.action;
  const serial = a.swarm_id === 'serial_handoff';
  const minutes = clamp(orDefault(a.max_minutes_bin, d.minutes), caps.maxMinutes);
  const iterations = orDefault(a.max_iterations_bin, d.iterations);
  return {
    schema_version: 'cyntra.executed_plan.v1',
    swarm_id_executed: a.swarm_id,
    max_candidates_executed: serial ? 1 : clamp(orDefault(a.max_candidates_bin, d.candidates), caps.maxCandidates),
    timeout_seconds_executed: minutes * 60,
    max_iterations_executed: iterations === null ? null : clamp(iterations, caps.maxIterations),
    fallback_applied: plan.gateReason === null && a.abstain_to_default,
    fallback_reason: plan.gateReason ?? a.reason,
    planner_mode: plan.mode,
    forced_swarm: plan.forcedSwarm,
    confidence: plan.record?.confidence ?? null,
  };
}

export function finishManifest(manifest: WorkcellManifest, result: RunResult): WorkcellManifest {
  return {
    ...manifest,
    status: 'finished',
    run: {
      status: result.status,
      started_at: rfc3339(Math.round(result.startedMs)),
      duration_ms: Math.max(0, Math.round(result.durationMs)),
      winner: result.winner,
      candidates: result.candidates.map((c) => ({
        index: c.index,
        status: c.status,
        exit_code: c.exitCode,
        signal: c.signal,
        duration_ms: Math.max(0, Math.round(c.durationMs)),
      })),
    },
  };
}

function orDefault<T extends number | null>(bin: BudgetBin, dflt: T): number | T {
  return isNA(bin) ? dflt : bin;
}

function clamp(value: number, cap: number): number {
  return Math.max(1, Math.min(Math.round(value), cap));
}
