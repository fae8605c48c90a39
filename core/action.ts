/** A budget bin: a positive integer, or the string "NA" (not applicable / kernel default). */
export type BudgetBin = number | 'NA';

export const NA = 'NA' as const;

export type HeadName = 'swarm' | 'candidates' | 'minutes' | 'iterations';

export const HEAD_NAMES: readonly HeadName[] = ['swarm', 'candidates', 'minutes', 'iterations'];

/** The Python planner's key for each head (calibration `temperatures`, record `probs`). */
export const PYTHON_HEAD_KEYS: Readonly<Record<HeadName, string>> = {
  swarm: 'swarm_id',
  candidates: 'max_candidates_bin',
  minutes: 'max_minutes_bin',
  iterations: 'max_iterations_bin',
};

/** One joint action: a swarm and three budget bins. */
export interface ActionTuple {
  readonly swarm_id: string;
  readonly max_candidates_bin: BudgetBin;
  readonly max_minutes_bin: BudgetBin;
  readonly max_iterations_bin: BudgetBin;
}

/** What the planner decided for one issue, after gating and caps. */
export interface PlannerAction extends ActionTuple {
  /** In [0, 1]. 1.0 for heuristic decisions. */
  readonly confidence: number;
  /** True when the heuristic's action replaced the model's. */
  readonly abstain_to_default: boolean;
  /** Why the model's action was not used as is; caps are appended after `;`. Null when the model was used untouched. */
  readonly reason: string | null;
  /** Every cap applied, e.g. `capped_max_minutes_from_120`. */
  readonly caps_applied: readonly string[];
}

export function isNA(bin: BudgetBin): bin is 'NA' {
  return bin === NA;
}

/** The Python planner's tuple text, used to break score ties: `["serial_handoff", 1, 15, "NA"]`. */
export function tupleJson(t: ActionTuple): string {
  const part = (b: BudgetBin): string => (b === NA ? '"NA"' : String(b));
  return `[${JSON.stringify(t.swarm_id)}, ${part(t.max_candidates_bin)}, ${part(t.max_minutes_bin)}, ${part(t.max_iterations_bin)}]`;
}
