/**
 * The baseline policies `eval` compares bundles with (reference §5): this project's heuristic (the kernel's
 * fallback), and the Python `planner eval` baselines "defaults" (the universe default swarm) and "risk".
 */
import { NA, type ActionTuple } from '../action.js';
import { ActionSpace } from '../action-space.js';
import { heuristicAction } from '../heuristic-baseline.js';
import type { PlannerInputV1 } from '../planner-input-types.js';

export type BaselineName = 'heuristic' | 'defaults' | 'risk';
export const BASELINE_NAMES: readonly BaselineName[] = ['heuristic', 'defaults', 'risk'];

/** The input's own action space, else the defaults (the heuristic maps its numbers onto these bins). */
function inputSpace(input: PlannerInputV1): ActionSpace {
  try {
    return ActionSpace.fromJson(input.action_space, 'planner_input.action_space');
  } catch {
    return ActionSpace.defaults();
  }
}

export function baselineAction(name: BaselineName, input: PlannerInputV1): ActionTuple {
  if (name === 'heuristic') return heuristicAction(input, inputSpace(input));
  if (name === 'defaults') {
    const swarm = input.universe_defaults?.swarm_id || 'serial_handoff';
    return {
      swarm_id: swarm,
      max_candidates_bin: swarm === 'serial_handoff' ? 1 : 2,
      max_minutes_bin: NA,
      max_iterations_bin: NA,
    };
  }
  const risk = input.issue?.dk_risk;
  if (risk === 'critical')
    return { swarm_id: 'speculate_vote', max_candidates_bin: 3, max_minutes_bin: NA, max_iterations_bin: NA };
  if (risk === 'high')
    return { swarm_id: 'speculate_vote', max_candidates_bin: 2, max_minutes_bin: NA, max_iterations_bin: NA };
  return { swarm_id: 'serial_handoff', max_candidates_bin: 1, max_minutes_bin: NA, max_iterations_bin: NA };
}
