/**
 * One best-of-K candidate as a normal kernel workcell: the candidate action is dispatched like any plan (manifest
 * `dispatched`, the kernel's runner, run summary, manifest `finished`, all atomic and schema-checked). A candidate
 * whose manifest is already `finished` is read back instead of rerun, which makes the bench resumable.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ActionTuple, PlannerAction } from '../action.js';
import { plannerActionRecord } from '../records.js';
import type { Issue, PlannerInputV1 } from '../planner-input-types.js';
import { type SchemaRegistry } from '../schemas.js';
import { removeStaleTemps, writeJsonAtomic } from '../kernel/atomic-write.js';
import { MANIFEST_SCHEMA_ID, dispatch, finishManifest, type WorkcellManifest } from '../kernel/dispatcher.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import { RUN_SUMMARY_SCHEMA_ID, buildRunSummary, isFinished } from '../kernel/run-summaries.js';
import { runIssue } from '../kernel/runner.js';
import type { IssuePlan } from '../kernel/scheduler.js';
import { workcellPaths } from '../kernel/workcell-paths.js';
import { actionArray } from './candidate-choice.js';
import type { BenchCandidate } from './bench-records.js';

export const BENCH_CHECKPOINT_ID = 'best_of_k_candidate';

export interface CandidateRun {
  readonly config: KernelConfig;
  readonly issue: Issue;
  readonly input: PlannerInputV1;
  readonly action: ActionTuple;
  /** The workcell id (`<issue workcell id>__k<n>`): also its directory under the bench's workcells. */
  readonly workcellId: string;
  readonly schemas: SchemaRegistry;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

/** The candidate's result; null when the run was interrupted (nothing final written). */
export async function runCandidate(c: CandidateRun): Promise<{ candidate: BenchCandidate; resumed: boolean } | null> {
  const paths = workcellPaths(c.config.kernel.workcells, c.workcellId);
  if (isFinished(paths.manifest)) {
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as WorkcellManifest;
    return { candidate: candidateOf(c, manifest, paths.dir), resumed: true };
  }
  removeStaleTemps(paths.dir);
  const plan = candidatePlan(c);
  const { executedPlan, manifest } = dispatch(plan, { config: c.config, workcellId: c.workcellId, now: c.now() });
  const write = (file: string, value: unknown, schema: string | null): void => {
    if (schema) c.schemas.assertValid(schema, value, file);
    writeJsonAtomic(file, value);
  };
  write(paths.issue, c.issue, null);
  write(paths.manifest, manifest, MANIFEST_SCHEMA_ID);
  const result = await runIssue(c.config.kernel.runner, {
    issueId: c.issue.id,
    plan: executedPlan,
    workcellDir: paths.dir,
    issueFile: paths.issue,
    cwd: c.config.root,
    logFile: paths.candidateLog,
    now: c.now,
    signal: c.signal,
  });
  if (c.signal?.aborted) return null;
  const finished = finishManifest(manifest, result);
  write(
    paths.runSummary,
    buildRunSummary({ runId: c.workcellId, issue: c.issue, jobType: plan.jobType, plan: executedPlan, result }),
    RUN_SUMMARY_SCHEMA_ID,
  );
  write(paths.manifest, finished, MANIFEST_SCHEMA_ID);
  return { candidate: candidateOf(c, finished, paths.dir), resumed: false };
}

function candidatePlan(c: CandidateRun): IssuePlan {
  const action: PlannerAction = {
    ...c.action,
    confidence: 1,
    abstain_to_default: false,
    reason: null,
    caps_applied: [],
  };
  const record = plannerActionRecord(action, { input: c.input, checkpointId: BENCH_CHECKPOINT_ID, now: c.now() });
  return {
    issue: c.issue,
    jobType: c.input.job_type,
    input: c.input,
    mode: 'enabled',
    gateReason: null,
    action,
    record,
    backend: 'best-of-k',
    forcedSwarm: null,
    trace: null,
  };
}

/**
 * What the candidate achieved. `duration_ms`/`cost_usd` come from the runner's result file when it wrote one with a
 * `dispatch` section (the demo world's simulated numbers); else the kernel's measured wall time ÷ time_scale and no cost.
 */
function candidateOf(c: CandidateRun, manifest: WorkcellManifest, dir: string): BenchCandidate {
  const run = manifest.run!;
  const scale = c.config.kernel.runner.timeScale;
  const measured = Math.round(run.duration_ms / scale);
  const reported = readRunnerResult(dir, run.winner ?? 0);
  const usable = reported !== null && reported.status === run.status;
  return {
    action: actionArray(c.action),
    verified: run.status === 'success',
    status: run.status,
    duration_ms: usable ? reported.duration_ms : measured,
    cost_usd: usable ? reported.cost_usd : null,
    workcell_id: manifest.workcell_id,
    details: {
      numbers: usable ? 'runner_result' : 'measured',
      simulated: usable ? reported.simulated : false,
      measured_wall_ms: run.duration_ms,
      time_scale: scale,
      executed_plan: manifest.planner.executed_plan,
      ...(reported !== null && !usable ? { runner_result_mismatch: reported.status } : {}),
    },
  };
}

interface RunnerResult {
  status: string;
  duration_ms: number | null;
  cost_usd: number | null;
  simulated: boolean;
}

/** `candidate-<i>.result.json`'s `dispatch` section, if a runner wrote one; anything malformed counts as absent. */
function readRunnerResult(dir: string, index: number): RunnerResult | null {
  const file = `${dir}/candidate-${index}.result.json`;
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { simulated?: unknown; dispatch?: Record<string, unknown> };
    const d = value.dispatch;
    if (!d || typeof d.status !== 'string') return null;
    const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);
    return {
      status: d.status,
      duration_ms: num(d.duration_ms) === null ? null : Math.round(num(d.duration_ms)!),
      cost_usd: num(d.cost_usd),
      simulated: value.simulated === true,
    };
  } catch {
    return null;
  }
}
