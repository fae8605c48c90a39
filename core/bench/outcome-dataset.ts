/**
 * The outcome dataset (reference §13.3, `cyntra.planner_outcome_dataset.v1`) from a best-of-K bench directory: one
 * row per benched record whose winner's workcell manifest holds `planner_input` and `planner_action`. A record or
 * manifest that cannot be used is skipped with a message naming the file and line; the rest goes on.
 */
import { join, relative } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';
import { jsonPositions, pointerSegment } from '../bundle/json-positions.js';
import { tokenizePlannerInput } from '../encoders/tokenize.js';
import { parseRfc3339 } from '../time.js';
import { workcellId } from '../kernel/workcell-paths.js';
import { isSkipped, type DatasetRow, type SkippedRow } from './dataset-file.js';
import { isRecord } from '../encoders/record.js';
import { readJson } from './read-json.js';

export const OUTCOME_DATASET_SCHEMA_VERSION = 'cyntra.planner_outcome_dataset.v1';

export interface BuiltRows {
  readonly rows: DatasetRow[];
  readonly skipped: SkippedRow[];
  readonly source: Record<string, unknown>;
}

export function outcomeRows(benchDir: string): BuiltRows {
  const resultsPath = join(benchDir, 'results', 'best_of_k.json');
  const read = readJson(resultsPath);
  if (!read.ok)
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${read.problem}; pass a best-of-k output directory (it holds results/best_of_k.json)`,
      { context: { file: resultsPath } },
    );
  if (!Array.isArray(read.value))
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${resultsPath}:1:1: expected a JSON array of bench records`, {
      context: { file: resultsPath },
    });
  const positions = jsonPositions(read.text);
  const rows: DatasetRow[] = [];
  const skipped: SkippedRow[] = [];
  const hashes = new Set<string>();
  read.value.forEach((record, i) => {
    const where = `${resultsPath}:${positions.at(`/${pointerSegment(i)}`).line}`;
    const built = outcomeRow(benchDir, record, where);
    if (isSkipped(built)) {
      if (built.reason !== 'skipped by the bench') skipped.push(built);
      return;
    }
    hashes.add(String(built.bench_config_hash));
    rows.push(built);
  });
  return {
    rows,
    skipped,
    source: {
      kind: 'best_of_k',
      bench_dir: benchDir,
      results_path: resultsPath,
      bench_config_hashes: [...hashes].sort(),
    },
  };
}

function outcomeRow(benchDir: string, record: unknown, where: string): DatasetRow | SkippedRow {
  if (!isRecord(record)) return { where, reason: 'a bench record must be a JSON object' };
  if (record.skipped === true) return { where, reason: 'skipped by the bench' };
  const winner = record.winner;
  if (!isRecord(winner)) return { where, reason: `record ${String(record.issue_id)} has no winner` };
  if (typeof winner.workcell_id !== 'string' || winner.workcell_id === '')
    return { where, reason: 'the winner has no workcell_id' };
  const dir = join(benchDir, 'workcells', workcellId(winner.workcell_id));
  const manifestPath = join(dir, 'manifest.json');
  const m = readJson(manifestPath);
  if (!m.ok) return { where: manifestPath, reason: `winner manifest unusable (${m.problem})` };
  const planner = isRecord(m.value) ? m.value.planner : undefined;
  if (!isRecord(planner) || !isRecord(planner.planner_input) || !isRecord(planner.planner_action)) {
    return {
      where: manifestPath,
      reason: 'the winner manifest has no planner.planner_input and planner.planner_action',
    };
  }
  const startedMs = startedMsOf(m.value as Record<string, unknown>, dir);
  if (startedMs === null)
    return { where: manifestPath, reason: 'no start time (run.started_at) in the winner manifest' };
  let tokens: string[];
  try {
    tokens = tokenizePlannerInput(planner.planner_input);
  } catch (e) {
    return { where: manifestPath, reason: `planner_input cannot be tokenized (${(e as Error).message})` };
  }
  return {
    bench_config_hash: record.bench_config_hash ?? null,
    issue_id: record.issue_id,
    title: record.title ?? '',
    job_type: record.job_type,
    run_id: winner.workcell_id,
    started_ms: startedMs,
    planner_input: planner.planner_input,
    tokens,
    label_action: planner.planner_action,
    executed_plan: planner.executed_plan ?? null,
    bench: { bench_run_dir: relative(benchDir, dir), winner, candidates: record.candidates ?? [] },
  };
}

/** The run summary's `started_ms` when present, else the manifest's `run.started_at`. */
export function startedMsOf(manifest: Record<string, unknown>, dir: string): number | null {
  const summary = readJson(join(dir, 'run-summary.json'));
  if (summary.ok && isRecord(summary.value) && Number.isFinite(summary.value.started_ms))
    return summary.value.started_ms as number;
  const run = manifest.run;
  return isRecord(run) ? parseRfc3339(run.started_at) : null;
}
