/**
 * Safety caps on every action that leaves the planner, iterations included. A capped bin becomes the largest bin of
 * the action space that is ≤ the cap (or the cap itself when no bin is), so the result stays a real bin where one
 * exists. NA is left alone here: it means "kernel default", and the dispatcher clamps executed values to the same caps.
 * Each cap applied is recorded; none erases the earlier reason.
 */
import type { ActionTuple, BudgetBin } from './action.js';
import { NA } from './action.js';
import type { ActionSpace, BinHead } from './action-space.js';
import type { SafetyCaps } from './inference-config.js';

export interface CapResult {
  readonly action: ActionTuple;
  readonly applied: readonly string[];
}

const FIELDS: ReadonlyArray<[BinHead, keyof ActionTuple, keyof SafetyCaps, string]> = [
  ['candidates', 'max_candidates_bin', 'maxCandidates', 'max_candidates'],
  ['minutes', 'max_minutes_bin', 'maxMinutes', 'max_minutes'],
  ['iterations', 'max_iterations_bin', 'maxIterations', 'max_iterations'],
];

export function applyCaps(action: ActionTuple, caps: SafetyCaps, space: ActionSpace): CapResult {
  const out: Record<string, unknown> = { ...action };
  const applied: string[] = [];
  for (let i = 0; i < FIELDS.length; i++) {
    const [head, field, capKey, label] = FIELDS[i];
    const value = action[field] as BudgetBin;
    const cap = caps[capKey];
    if (value === NA || value <= cap) continue;
    out[field] = capBin(cap, space.bins[head]);
    applied.push(`capped_${label}_from_${value}`);
  }
  return { action: out as unknown as ActionTuple, applied };
}

function capBin(cap: number, bins: readonly BudgetBin[]): number {
  let best: number | null = null;
  for (const b of bins) if (b !== NA && b <= cap && (best === null || b > best)) best = b;
  return best ?? cap;
}

/** `reason` with caps appended: `low_confidence_0.412;capped_max_minutes_from_120`. */
export function joinReason(reason: string | null, caps: readonly string[]): string | null {
  if (caps.length === 0) return reason ? reason : null;
  const parts = [...(reason ? [reason] : []), ...caps];
  return parts.join(';');
}
