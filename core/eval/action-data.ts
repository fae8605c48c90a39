/**
 * Actions read as data (reference §13.1): a label action or a bench candidate's action becomes a 4-tuple without
 * being validated against any action space. A bin that is not an integer (a bool counts as one, as in Python) reads
 * as NA; a missing or empty `swarm_id` makes the action unusable (null). JSON cannot tell `30.0` from `30` in
 * JavaScript, so a float-typed integral bin reads as that integer here where Python would read NA.
 */
import { NA, type ActionTuple, type BudgetBin } from '../action.js';

export function readBin(value: unknown): BudgetBin {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return NA;
}

function readSwarm(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A `planner_action.v1`-shaped label: `swarm_id` and `budgets.{max_*_bin}` (top-level bins when `budgets` is absent). */
export function readLabelAction(value: unknown): ActionTuple | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  const swarm = readSwarm(obj.swarm_id);
  if (swarm === null) return null;
  const budgets =
    typeof obj.budgets === 'object' && obj.budgets !== null && !Array.isArray(obj.budgets)
      ? (obj.budgets as Record<string, unknown>)
      : obj;
  return {
    swarm_id: swarm,
    max_candidates_bin: readBin(budgets.max_candidates_bin),
    max_minutes_bin: readBin(budgets.max_minutes_bin),
    max_iterations_bin: readBin(budgets.max_iterations_bin),
  };
}

/** A bench candidate's `action`: the JSON array `[swarm_id, c, m, i]`. */
export function readArrayAction(value: unknown): ActionTuple | null {
  if (!Array.isArray(value) || value.length !== 4) return null;
  const swarm = readSwarm(value[0]);
  if (swarm === null) return null;
  return {
    swarm_id: swarm,
    max_candidates_bin: readBin(value[1]),
    max_minutes_bin: readBin(value[2]),
    max_iterations_bin: readBin(value[3]),
  };
}

export function sameAction(a: ActionTuple | null, b: ActionTuple | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.swarm_id === b.swarm_id &&
    a.max_candidates_bin === b.max_candidates_bin &&
    a.max_minutes_bin === b.max_minutes_bin &&
    a.max_iterations_bin === b.max_iterations_bin
  );
}
