/**
 * Records the planner writes: `cyntra.planner_action.v1` (Python-compatible: closed root, so caps live in `reason`)
 * and `cyntra.executed_plan.v1`.
 */
import { HEAD_NAMES, PYTHON_HEAD_KEYS, type HeadName, type PlannerAction } from './action.js';
import { inputHash } from './canonical-json.js';
import type { PlannerInputV1 } from './planner-input-types.js';
import { rfc3339 } from './time.js';

export interface PlannerActionRecord {
  schema_version: 'cyntra.planner_action.v1';
  created_at: string;
  swarm_id: string;
  budgets: {
    max_candidates_bin: number | string;
    max_minutes_bin: number | string;
    max_iterations_bin: number | string;
  };
  probs?: Record<string, number[]>;
  confidence: number;
  abstain_to_default: boolean;
  reason: string | null;
  model: { checkpoint_id: string; version?: string };
  input_hash: string | null;
}

export interface ActionRecordContext {
  readonly input: PlannerInputV1;
  readonly checkpointId: string;
  readonly modelVersion?: string;
  readonly now: number;
  readonly probs?: Readonly<Record<HeadName, number[]>> | null;
  /** Precomputed `inputHash(input)`, when the caller has it. */
  readonly inputHash?: string;
}

export function plannerActionRecord(action: PlannerAction, ctx: ActionRecordContext): PlannerActionRecord {
  const record: PlannerActionRecord = {
    schema_version: 'cyntra.planner_action.v1',
    created_at: rfc3339(ctx.now),
    swarm_id: action.swarm_id,
    budgets: {
      max_candidates_bin: action.max_candidates_bin,
      max_minutes_bin: action.max_minutes_bin,
      max_iterations_bin: action.max_iterations_bin,
    },
    confidence: action.confidence,
    abstain_to_default: action.abstain_to_default,
    reason: action.reason,
    model: ctx.modelVersion
      ? { checkpoint_id: ctx.checkpointId, version: ctx.modelVersion }
      : { checkpoint_id: ctx.checkpointId },
    input_hash: ctx.inputHash ?? inputHash(ctx.input as unknown as Record<string, unknown>),
  };
  if (ctx.probs) record.probs = probsRecord(ctx.probs);
  return record;
}

/** The Python head keys in HEAD_NAMES order, each with a plain-array copy of its probabilities. */
function probsRecord(probs: Readonly<Record<HeadName, number[]>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (let i = 0; i < HEAD_NAMES.length; i++) {
    const p = probs[HEAD_NAMES[i]];
    out[PYTHON_HEAD_KEYS[HEAD_NAMES[i]]] = Array.isArray(p) ? p.slice() : Array.from(p); // a typed array stays a list
  }
  return out;
}

export interface ExecutedPlanRecord {
  schema_version: 'cyntra.executed_plan.v1';
  swarm_id_executed: string;
  max_candidates_executed: number | null;
  timeout_seconds_executed: number | null;
  max_iterations_executed: number | null;
  fallback_applied: boolean;
  fallback_reason: string | null;
  [extra: string]: unknown;
}
