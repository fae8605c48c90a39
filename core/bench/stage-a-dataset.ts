/**
 * The Stage-A dataset (reference §6.2) from ordinary kernel workcells: one row per finished workcell, labelled with
 * the plan that actually ran (`run-summary.json#/action_executed`, mapped to the bins of the input's action space,
 * an unknown swarm → the first swarm; checkpoint id `executed_plan`). Unusable workcells are skipped and reported.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ActionSpace, mapToBin } from '../action-space.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { tokenizePlannerInput } from '../encoders/tokenize.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { plannerActionRecord } from '../records.js';
import { isSkipped, type DatasetRow, type SkippedRow } from './dataset-file.js';
import type { BuiltRows } from './outcome-dataset.js';
import { isRecord } from '../encoders/record.js';
import { readJson } from './read-json.js';

export const STAGE_A_DATASET_SCHEMA_VERSION = 'cyntra.planner_dataset.v1';
export const EXECUTED_PLAN_CHECKPOINT_ID = 'executed_plan';

export function stageARows(workcellsDir: string): BuiltRows {
  if (!existsSync(workcellsDir))
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${workcellsDir}: no such directory; pass the kernel's workcells directory`,
      { context: { file: workcellsDir } },
    );
  const rows: DatasetRow[] = [];
  const skipped: SkippedRow[] = [];
  let unfinished = 0;
  for (const entry of readdirSync(workcellsDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    const built = stageARow(join(workcellsDir, entry.name));
    if (built === 'unfinished') unfinished++;
    else if (isSkipped(built)) skipped.push(built);
    else rows.push(built);
  }
  return {
    rows,
    skipped,
    source: { kind: 'workcells', workcells_dir: workcellsDir, unfinished_workcells: unfinished },
  };
}

function stageARow(dir: string): DatasetRow | SkippedRow | 'unfinished' {
  const manifestPath = join(dir, 'manifest.json');
  const m = readJson(manifestPath);
  if (!m.ok) return { where: manifestPath, reason: m.problem };
  if (!isRecord(m.value)) return { where: `${manifestPath}:1`, reason: 'a manifest must be a JSON object' };
  if (m.value.status !== 'finished') return 'unfinished';
  const planner = m.value.planner;
  if (!isRecord(planner) || !isRecord(planner.planner_input))
    return { where: manifestPath, reason: 'no planner.planner_input' };
  const summaryPath = join(dir, 'run-summary.json');
  const s = readJson(summaryPath);
  if (!s.ok) return { where: summaryPath, reason: s.problem };
  const summary = s.value;
  if (
    !isRecord(summary) ||
    typeof summary.run_id !== 'string' ||
    !Number.isFinite(summary.started_ms) ||
    !isRecord(summary.action_executed)
  ) {
    return { where: summaryPath, reason: 'run summary without run_id, started_ms or action_executed' };
  }
  const input = planner.planner_input as unknown as PlannerInputV1;
  let space: ActionSpace;
  let tokens: string[];
  try {
    space = input.action_space
      ? ActionSpace.fromJson(input.action_space, `${manifestPath}#/planner/planner_input/action_space`)
      : ActionSpace.defaults();
    tokens = tokenizePlannerInput(input);
  } catch (e) {
    return { where: manifestPath, reason: (e as Error).message };
  }
  return {
    run_id: summary.run_id,
    started_ms: summary.started_ms as number,
    planner_input: input,
    tokens,
    label_action: labelFromRunSummary(summary.action_executed, space, input, summary.started_ms as number),
  };
}

/** Reference §6.2 `_label_from_run_summary`: unknown swarm → first swarm (or serial_handoff), numbers → nearest bin. */
export function labelFromRunSummary(
  executed: Record<string, unknown>,
  space: ActionSpace,
  input: PlannerInputV1,
  startedMs: number,
): Record<string, unknown> {
  const swarm =
    typeof executed.swarm_id === 'string' && space.swarmIds.includes(executed.swarm_id)
      ? executed.swarm_id
      : (space.swarmIds[0] ?? 'serial_handoff');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const action = {
    swarm_id: swarm,
    max_candidates_bin: mapToBin(num(executed.max_candidates), space.bins.candidates),
    max_minutes_bin: mapToBin(num(executed.max_minutes), space.bins.minutes),
    max_iterations_bin: mapToBin(num(executed.max_iterations), space.bins.iterations),
    confidence: 1,
    abstain_to_default: false,
    reason: null,
    caps_applied: [],
  };
  return { ...plannerActionRecord(action, { input, checkpointId: EXECUTED_PLAN_CHECKPOINT_ID, now: startedMs }) };
}
