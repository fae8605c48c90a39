/**
 * Which benched candidate a policy picks (reference §13.4). Baseline: the first candidate (the bench runs the
 * baseline first). Model: among the candidates whose action is valid for the job type and inside the bundle's
 * action space, the highest `Σ_h ln(max(1e-12, p_h(a_h)))` (ties to the smaller action text); when none scores, the
 * candidate equal to the model's own decode; else the first candidate. A swarm or bin the bundle does not know
 * never scores.
 */
import { tupleJson } from '../action.js';
import type { ActionSpace } from '../action-space.js';
import { sameAction } from './action-data.js';
import type { BenchCandidate } from './dataset-reader.js';
import type { ModelRow } from './model-predictions.js';
import { compareCodePoints } from './py-data.js';

export function modelChoice(
  candidates: readonly BenchCandidate[],
  row: ModelRow,
  space: ActionSpace,
  jobType: string,
): number {
  let best = -1;
  let bestScore = -Infinity;
  candidates.forEach((c, i) => {
    if (c.action === null || !space.contains(c.action) || !space.isValid(jobType, c.action)) return;
    const idx = space.indexOf(c.action);
    const score =
      row.logp.swarm[idx.swarm] +
      row.logp.candidates[idx.candidates] +
      row.logp.minutes[idx.minutes] +
      row.logp.iterations[idx.iterations];
    const better =
      best === -1 ||
      score > bestScore ||
      (score === bestScore && compareCodePoints(tupleJson(c.action), tupleJson(candidates[best].action!)) < 0);
    if (better) [best, bestScore] = [i, score];
  });
  if (best !== -1) return best;
  const own = candidates.findIndex((c) => sameAction(c.action, row.action));
  return own === -1 ? 0 : own;
}
