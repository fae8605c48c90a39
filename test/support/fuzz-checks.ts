/** Invariants every prediction must keep, whatever the input or backend. */
import { expect } from 'vitest';
import { NA } from '../../core/action.js';
import type { PlannerInference, PredictOutcome } from '../../core/planner-inference.js';
import { SchemaIds, type SchemaRegistry } from '../../core/schemas.js';

export function checkOutcome(
  planner: PlannerInference,
  out: PredictOutcome,
  schemas: SchemaRegistry,
  where: string,
): void {
  const { action } = out;
  const caps = planner.config.caps;
  const bins = planner.actionSpace.bins;
  const result = schemas.validate(SchemaIds.plannerAction, out.record);
  if (!result.valid) expect.fail(`${where}: record not schema-valid: ${JSON.stringify(result.errors)}`);
  expect(planner.actionSpace.swarmIds, where).toContain(action.swarm_id);
  const within = (v: unknown, cap: number, list: readonly unknown[]) =>
    v === NA || (typeof v === 'number' && v <= cap && (list.includes(v) || v === cap));
  expect(
    within(action.max_candidates_bin, caps.maxCandidates, bins.candidates),
    `${where}: candidates ${String(action.max_candidates_bin)}`,
  ).toBe(true);
  expect(
    within(action.max_minutes_bin, caps.maxMinutes, bins.minutes),
    `${where}: minutes ${String(action.max_minutes_bin)}`,
  ).toBe(true);
  expect(
    within(action.max_iterations_bin, caps.maxIterations, bins.iterations),
    `${where}: iterations ${String(action.max_iterations_bin)}`,
  ).toBe(true);
  expect(action.confidence >= 0 && action.confidence <= 1, `${where}: confidence ${action.confidence}`).toBe(true);
  if (action.abstain_to_default) expect(action.reason, `${where}: a fallback without a reason`).toMatch(/^\S+/);
}
