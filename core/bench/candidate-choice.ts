/**
 * Best-of-K candidate choice (reference §13.2), deterministic per (seed + issue index): the baseline action first
 * when valid, then the first valid action of the other swarm, then the remaining valid actions in a seeded shuffle,
 * until K. Our RNG is mulberry32 (not Python's Mersenne Twister), so the shuffles differ from the Python bench's;
 * the shuffle is Fisher–Yates from the end, `j = floor(rng() * (i + 1))`, as Python's `random.shuffle` does it.
 */
import { NA, tupleJson, type ActionTuple } from '../action.js';
import type { ActionSpace } from '../action-space.js';
import { mulberry32 } from '../prng.js';

export { mulberry32 };

/** The bench baseline: default swarm (or serial_handoff, or the first swarm when not in the space), 1 if serial else NA. */
export function benchBaseline(space: ActionSpace, defaultSwarm: string | null): ActionTuple {
  const wanted = defaultSwarm ?? 'serial_handoff';
  const swarm = space.swarmIds.includes(wanted) ? wanted : space.swarmIds[0];
  return {
    swarm_id: swarm,
    max_candidates_bin: swarm === 'serial_handoff' ? 1 : NA,
    max_minutes_bin: NA,
    max_iterations_bin: NA,
  };
}

export interface CandidateChoice {
  readonly space: ActionSpace;
  readonly jobType: string;
  readonly k: number;
  readonly seed: number;
  readonly issueIndex: number;
  readonly defaultSwarm: string | null;
}

export function chooseCandidates(c: CandidateChoice): ActionTuple[] {
  const valid = c.space.validActions(c.jobType);
  const chosen: ActionTuple[] = [];
  const taken = new Set<string>();
  const take = (t: ActionTuple): void => {
    if (chosen.length < c.k && !taken.has(tupleJson(t))) {
      chosen.push(t);
      taken.add(tupleJson(t));
    }
  };
  const base = benchBaseline(c.space, c.defaultSwarm);
  const baseValid = c.space.contains(base) && c.space.isValid(c.jobType, base);
  if (baseValid) take(base);
  const other = valid.find((t) => t.swarm_id !== (baseValid ? base.swarm_id : valid[0]?.swarm_id));
  if (baseValid && other) take(other);
  const rest = valid.filter((t) => !taken.has(tupleJson(t)));
  const rng = mulberry32(c.seed + c.issueIndex);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  rest.forEach(take);
  return chosen;
}

/** The Python tuple as a JSON array: `["serial_handoff", 1, "NA", "NA"]` → `['serial_handoff', 1, 'NA', 'NA']`. */
export function actionArray(t: ActionTuple): [string, number | string, number | string, number | string] {
  return [t.swarm_id, t.max_candidates_bin, t.max_minutes_bin, t.max_iterations_bin];
}
