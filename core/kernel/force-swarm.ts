/**
 * `flags.force_swarm`: overrides the swarm of the action that runs, keeping it valid (serial_handoff ⇒ one
 * candidate; otherwise the nearest valid action with that swarm) and recording `force_swarm_<id>` in the reason.
 */
import type { ActionTuple, PlannerAction } from '../action.js';
import type { ActionSpace } from '../action-space.js';
import { joinReason } from '../caps.js';

export function applyForceSwarm(
  action: PlannerAction,
  swarm: string,
  jobType: string,
  space: ActionSpace,
): PlannerAction {
  const wanted: ActionTuple = {
    swarm_id: swarm,
    max_candidates_bin: swarm === 'serial_handoff' ? 1 : action.max_candidates_bin,
    max_minutes_bin: action.max_minutes_bin,
    max_iterations_bin: action.max_iterations_bin,
  };
  const tuple = space.isValid(jobType, wanted) ? wanted : nearestWithSwarm(wanted, jobType, space);
  return { ...action, ...tuple, reason: joinReason(action.reason, [`force_swarm_${swarm}`]) };
}

function nearestWithSwarm(wanted: ActionTuple, jobType: string, space: ActionSpace): ActionTuple {
  const same = space.validActions(jobType).filter((t) => t.swarm_id === wanted.swarm_id);
  let best = same[0] ?? wanted;
  let bestScore = -1;
  for (const t of same) {
    const score =
      Number(t.max_candidates_bin === wanted.max_candidates_bin) +
      Number(t.max_minutes_bin === wanted.max_minutes_bin) +
      Number(t.max_iterations_bin === wanted.max_iterations_bin);
    if (score > bestScore) [best, bestScore] = [t, score];
  }
  return best;
}
