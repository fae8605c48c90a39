/** Hand-built workcell manifests for the report tests: each field set on purpose, valid against the manifest schema. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlannerInput } from '../../core/planner-input.js';

export interface ManifestSpec {
  id: string;
  mode?: 'enabled' | 'shadow' | 'disabled';
  createdMs?: number;
  /** null: the planner was not asked (gate). */
  record?: {
    swarm: string;
    c: number | string;
    m: number | string;
    i: number | string;
    abstain: boolean;
    reason: string | null;
    version?: string;
    checkpoint?: string;
  } | null;
  gateReason?: string | null;
  modelAction?: {
    swarm: string;
    c: number | string;
    m: number | string;
    i: number | string;
    confidence: number;
  } | null;
  executed: { swarm: string; c: number; minutes: number; i: number | null };
  run?: { status: 'success' | 'failed' | 'timeout'; durationMs: number } | null;
  inferenceMs?: number | null;
  challengers?: unknown[];
}

const rfc = (ms: number): string => new Date(ms).toISOString();

export function manifestOf(s: ManifestSpec): Record<string, unknown> {
  const created = s.createdMs ?? Date.parse('2026-01-01T00:00:00Z');
  const r = s.record === undefined ? null : s.record;
  const record = r && {
    schema_version: 'cyntra.planner_action.v1',
    created_at: rfc(created),
    swarm_id: r.swarm,
    budgets: { max_candidates_bin: r.c, max_minutes_bin: r.m, max_iterations_bin: r.i },
    confidence: 1,
    abstain_to_default: r.abstain,
    reason: r.reason,
    model: r.version
      ? { checkpoint_id: r.checkpoint ?? 'ckpt', version: r.version }
      : { checkpoint_id: r.checkpoint ?? 'ckpt' },
    input_hash: null,
  };
  const ma = s.modelAction ?? null;
  const planner: Record<string, unknown> = {
    planner_input: buildPlannerInput({ issue: { id: s.id }, now: created }),
    planned_action: record,
    planner_action: record,
    executed_plan: {
      schema_version: 'cyntra.executed_plan.v1',
      swarm_id_executed: s.executed.swarm,
      max_candidates_executed: s.executed.c,
      timeout_seconds_executed: s.executed.minutes * 60,
      max_iterations_executed: s.executed.i,
      fallback_applied: r ? r.abstain : false,
      fallback_reason: r ? r.reason : (s.gateReason ?? null),
    },
    timeout_seconds_override: null,
    mode: s.mode ?? 'enabled',
    backend: 'onnx',
    gate_reason: r ? null : (s.gateReason ?? 'planner_disabled'),
    model_action: ma && {
      swarm_id: ma.swarm,
      budgets: { max_candidates_bin: ma.c, max_minutes_bin: ma.m, max_iterations_bin: ma.i },
      confidence: ma.confidence,
    },
  };
  if (s.inferenceMs !== undefined && s.inferenceMs !== null)
    planner.inference = {
      backend: 'onnx',
      encode_ms: 0,
      infer_ms: s.inferenceMs,
      decode_ms: 0,
      total_ms: s.inferenceMs,
    };
  if (s.challengers) planner.challengers = s.challengers;
  const run = s.run === undefined ? { status: 'success', durationMs: 100 } : s.run;
  return {
    schema_version: 'cyntra-planner.workcell_manifest.v1',
    workcell_id: `wc-${s.id}`,
    issue_id: s.id,
    job_type: 'code',
    created_at: rfc(created),
    status: run ? 'finished' : 'dispatched',
    issue: { id: s.id },
    planner,
    run: run && {
      status: run.status,
      started_at: rfc(created),
      duration_ms: run.durationMs,
      winner: 0,
      candidates: [],
    },
  };
}

export function writeWorkcell(
  root: string,
  name: string,
  content: string | Record<string, unknown>,
  runSummary?: Record<string, unknown>,
): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), typeof content === 'string' ? content : JSON.stringify(content));
  if (runSummary) writeFileSync(join(dir, 'run-summary.json'), JSON.stringify(runSummary));
}
