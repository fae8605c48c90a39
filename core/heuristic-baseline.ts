/**
 * The heuristic baseline (reference §5, track-2 rules), always valid for the job type:
 *   dk_risk high|critical → speculate_vote, 3 candidates; dk_size L|XL → speculate_vote, 2; else serial_handoff, 1.
 * Minutes from dk_size: XS 15, S 30, M 45, L 60, XL 120. Iterations: NA for `code` (a validity rule), else from
 * dk_size: XS 1, S 2, M 3, L 3, XL 5. Every number is mapped onto the action space's bins (nearest, ties lower).
 */
import type { ActionTuple } from './action.js';
import { NA } from './action.js';
import { decodeJobType } from './decode-job-type.js';
import { mapToBin, type ActionSpace } from './action-space.js';
import type { PlannerInputV1 } from './planner-input-types.js';

export const HEURISTIC_CHECKPOINT_ID = 'baseline_heuristic_v0';

const MINUTES_BY_SIZE: Readonly<Record<string, number>> = { XS: 15, S: 30, M: 45, L: 60, XL: 120 };
const ITERATIONS_BY_SIZE: Readonly<Record<string, number>> = { XS: 1, S: 2, M: 3, L: 3, XL: 5 };

export function heuristicAction(input: Pick<PlannerInputV1, 'issue' | 'job_type'>, space: ActionSpace): ActionTuple {
  const jobType = decodeJobType(input.job_type);
  const risk = input.issue?.dk_risk;
  const size = input.issue?.dk_size ?? 'M';
  let swarm = 'serial_handoff';
  let candidates = 1;
  if (risk === 'high' || risk === 'critical') [swarm, candidates] = ['speculate_vote', 3];
  else if (size === 'L' || size === 'XL') [swarm, candidates] = ['speculate_vote', 2];
  if (!space.swarmIds.includes(swarm))
    [swarm, candidates] = [space.swarmIds.includes('serial_handoff') ? 'serial_handoff' : space.swarmIds[0], 1];
  const wanted: ActionTuple = {
    swarm_id: swarm,
    max_candidates_bin: mapToBin(swarm === 'serial_handoff' ? 1 : candidates, space.bins.candidates),
    max_minutes_bin: mapToBin(MINUTES_BY_SIZE[size] ?? 45, space.bins.minutes),
    max_iterations_bin: jobType === 'code' ? NA : mapToBin(ITERATIONS_BY_SIZE[size] ?? 3, space.bins.iterations),
  };
  return space.isValid(jobType, wanted) && space.contains(wanted) ? wanted : nearestValid(wanted, jobType, space);
}

/** The valid action that agrees with `wanted` on the most components (earliest in sort order on ties). */
function nearestValid(wanted: ActionTuple, jobType: string, space: ActionSpace): ActionTuple {
  const valid = space.validActions(jobType);
  let best: ActionTuple | null = null;
  let bestScore = -1;
  for (const t of valid) {
    const score =
      (t.swarm_id === wanted.swarm_id ? 8 : 0) +
      (t.max_candidates_bin === wanted.max_candidates_bin ? 4 : 0) +
      (t.max_minutes_bin === wanted.max_minutes_bin ? 2 : 0) +
      (t.max_iterations_bin === wanted.max_iterations_bin ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [t, score];
  }
  // An action space with no valid action at all still yields a safe, explicit serial action.
  return (
    best ?? {
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: wanted.max_minutes_bin,
      max_iterations_bin: NA,
    }
  );
}
