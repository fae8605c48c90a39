/**
 * `run_summary.v1` records: built from what ran, stored as `run-summary.json` in each workcell, read back as history.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, RunSummary } from '../planner-input-types.js';
import type { ExecutedPlanRecord } from '../records.js';
import type { Logger } from '../logger.js';
import { SchemaRegistry, formatError } from '../schemas.js';
import type { RunResult } from './runner.js';

export const RUN_SUMMARY_SCHEMA_ID = 'https://cyntra-planner/schemas/run-summary.json';

/** `fab_world` for job type fab-world, `fab_asset` for any `asset:` tag, else `code` (reference §2). */
export function domainOf(jobType: string, tags: readonly string[]): string {
  if (jobType === 'fab-world') return 'fab_world';
  return tags.some((t) => t.startsWith('asset:')) ? 'fab_asset' : 'code';
}

export function buildRunSummary(opts: {
  runId: string;
  issue: Issue;
  jobType: string;
  plan: ExecutedPlanRecord;
  result: RunResult;
}): RunSummary {
  const tags = Array.isArray(opts.issue.tags) ? opts.issue.tags.filter((t): t is string => typeof t === 'string') : [];
  const { plan, result } = opts;
  return {
    run_id: opts.runId,
    started_ms: Math.round(result.startedMs),
    job_type: opts.jobType,
    domain: domainOf(opts.jobType, tags),
    action_executed: {
      swarm_id: plan.swarm_id_executed,
      max_candidates: plan.max_candidates_executed,
      max_minutes: plan.timeout_seconds_executed === null ? null : Math.floor(plan.timeout_seconds_executed / 60),
      max_iterations: plan.max_iterations_executed,
    },
    outcome: { status: result.status, fail_codes: failCodes(result), gates: [] },
    runtime: { duration_ms: Math.max(0, Math.round(result.durationMs)) },
    tags,
    issue_id: opts.issue.id,
  };
}

function failCodes(result: RunResult): string[] {
  if (result.status === 'success') return [];
  if (result.status === 'timeout') return ['timeout'];
  const codes = result.candidates.map((c) =>
    c.exitCode !== null ? `exit_${c.exitCode}` : `signal_${c.signal ?? 'unknown'}`,
  );
  return [...new Set(codes)].sort();
}

/**
 * Every run summary under the workcell directory whose manifest says `finished` (a summary without a finished
 * manifest belongs to a run that will be redone, so it is not history yet). Unreadable summaries, and summaries that
 * do not match the run-summary schema (a hand-edited or corrupt file), are skipped with a warning naming the file.
 */
export function readRunSummaries(
  workcellsDir: string,
  logger: Logger,
  schemas: SchemaRegistry = new SchemaRegistry(),
): RunSummary[] {
  if (!existsSync(workcellsDir)) return [];
  const out: RunSummary[] = [];
  for (const entry of readdirSync(workcellsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(workcellsDir, entry.name, 'run-summary.json');
    if (!existsSync(file) || !isFinished(join(workcellsDir, entry.name, 'manifest.json'))) continue;
    const summary = readSummary(file, logger, schemas);
    if (summary) out.push(summary);
  }
  return out.sort((a, b) => a.started_ms - b.started_ms || (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0));
}

function readSummary(file: string, logger: Logger, schemas: SchemaRegistry): RunSummary | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    logger.warn({ file, err: (error as Error).message }, 'skipping an unreadable run summary');
    return null;
  }
  const result = schemas.validate(RUN_SUMMARY_SCHEMA_ID, value);
  if (result.valid) return value as RunSummary;
  logger.warn(
    { file, errors: result.errors.map(formatError) },
    'skipping a run summary that does not match its schema; fix or delete the file',
  );
  return null;
}

/** True when the manifest exists, parses and has `status: "finished"`. */
export function isFinished(manifestFile: string): boolean {
  if (!existsSync(manifestFile)) return false;
  try {
    return (JSON.parse(readFileSync(manifestFile, 'utf8')) as { status?: unknown }).status === 'finished';
  } catch {
    return false;
  }
}
