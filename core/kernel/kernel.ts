/**
 * The kernel loop: registry → PlannerInference → for each issue (bounded concurrency): skip when a finished manifest
 * exists (a restart resumes without loss or duplicates) → plan → dispatch → run → run summary and finished manifest,
 * each written atomically and validated against its schema. Finished run summaries feed later plans as history.
 * The whole run holds the workcells directory's lock; an unfinished issue is redone only after the runner groups a
 * killed kernel left for it are stopped.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { silentLogger, type Logger } from '../logger.js';
import type { Issue, RunSummary } from '../planner-input-types.js';
import type { ExecutedPlanRecord } from '../records.js';
import type { SchemaRegistry } from '../schemas.js';
import { removeStaleTemps, writeJsonAtomic, type AtomicWriteHooks } from './atomic-write.js';
import { MANIFEST_SCHEMA_ID, dispatch, finishManifest, type WorkcellManifest } from './dispatcher.js';
import type { KernelConfig } from './kernel-config-types.js';
import { assertRunnerConfigured, assertWorkcellsUsable } from './kernel-preflight.js';
import { recordRunnerGroups, stopLeftoverRunners } from './leftover-runners.js';
import { acquireWorkcellsLock } from './workcells-lock.js';
import { RUN_SUMMARY_SCHEMA_ID, buildRunSummary, isFinished, readRunSummaries } from './run-summaries.js';
import { runIssue, type RunResult } from './runner.js';
import { Scheduler } from './scheduler.js';
import { reportOf, type IssueReport } from './issue-report.js';
import type { KernelObserver } from './kernel-observer.js';
import { workcellPaths, workcellId, type WorkcellPaths } from './workcell-paths.js';
import { startPlanner, type PlannerStartDeps } from './start-planner.js';

export { inferenceConfigOf } from './start-planner.js';

export interface KernelDeps extends PlannerStartDeps {
  readonly logger?: Logger;
  readonly onIssue?: (report: IssueReport) => void;
  readonly writeHooks?: AtomicWriteHooks;
  /**
   * Aborting stops the kernel: no new issue starts and running commands are killed. Their manifests stay
   * `dispatched` and no run summary is written, so the next run redoes them.
   */
  readonly signal?: AbortSignal;
}

export interface KernelReport {
  readonly backend: string;
  /** Issues finished (or skipped as already finished), in queue order; fewer than the queue when interrupted. */
  readonly issues: readonly IssueReport[];
  readonly interrupted: boolean;
}

/** The inference config the kernel's planner uses: the heuristic alone when the planner is disabled. */
/**
 * Runs the queue while holding the workcells directory's lock (a second run on it is refused with
 * WORKCELLS_LOCKED; the lock of a killed kernel is taken over).
 */
export async function runKernel(
  config: KernelConfig,
  issues: readonly Issue[],
  deps: KernelDeps,
): Promise<KernelReport> {
  assertRunnerConfigured(config);
  assertWorkcellsUsable(config);
  const logger = deps.logger ?? silentLogger;
  const lock = acquireWorkcellsLock(config.kernel.workcells);
  for (const dead of lock.tookOver)
    logger.warn({ lock: lock.file, ...dead }, 'took over the lock of a run that is no longer alive');
  try {
    return await runLocked(config, issues, deps, logger);
  } finally {
    lock.release();
  }
}

async function runLocked(
  config: KernelConfig,
  issues: readonly Issue[],
  deps: KernelDeps,
  logger: Logger,
): Promise<KernelReport> {
  const { schemas, now, rollout } = await startPlanner(config, deps, logger);
  const planner = rollout.planner;
  try {
    const history: RunSummary[] = readRunSummaries(config.kernel.workcells, logger, schemas);
    const load = { running: 0, next: 0 };
    const scheduler = new Scheduler({
      config,
      planner,
      history: () => history,
      load: () => ({ activeWorkcells: load.running, queueDepth: issues.length - load.next }),
      now,
    });
    const ctx: Omit<IssueContext, 'signal'> = {
      config,
      scheduler,
      schemas,
      logger,
      now,
      history,
      load,
      total: issues.length,
      writeHooks: deps.writeHooks,
      rollout,
    };
    const done = await processQueue(issues, ctx, deps);
    return { backend: planner.backend, issues: done, interrupted: done.length < issues.length };
  } finally {
    await rollout.close();
  }
}

/**
 * Runs the queue with `concurrency` workers. One failing issue (an unwritable workcell...) stops the others too,
 * killing their commands, before its error is thrown. Returns the reports of the issues finished, in queue order.
 */
async function processQueue(
  issues: readonly Issue[],
  base: Omit<IssueContext, 'signal'>,
  deps: KernelDeps,
): Promise<IssueReport[]> {
  const reports: IssueReport[] = new Array(issues.length);
  const stop = new AbortController();
  // one abort listener per running issue: not a leak, so no MaxListenersExceededWarning at concurrency > 10
  setMaxListeners(base.config.kernel.concurrency + 10, stop.signal);
  const onAbort = (): void => stop.abort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  if (deps.signal?.aborted) stop.abort();
  const ctx: IssueContext = { ...base, signal: stop.signal };
  const worker = async (): Promise<void> => {
    while (ctx.load.next < issues.length && !stop.signal.aborted) {
      const index = ctx.load.next++;
      const report = await processIssue(issues[index], index, ctx).catch((error: unknown) => {
        stop.abort();
        throw error;
      });
      if (report === null) return;
      reports[index] = report;
      deps.onIssue?.(report);
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(ctx.config.kernel.concurrency, Math.max(1, issues.length)) }, worker),
  );
  deps.signal?.removeEventListener('abort', onAbort);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return reports.filter((r) => r !== undefined);
}

export interface IssueContext {
  readonly config: KernelConfig;
  readonly scheduler: Scheduler;
  readonly schemas: SchemaRegistry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly history: RunSummary[];
  readonly load: { running: number; next: number };
  readonly total: number;
  readonly writeHooks?: AtomicWriteHooks;
  readonly signal?: AbortSignal;
  readonly rollout: KernelObserver;
  /** Top-level fields added to the manifest (the queue backend records `queue: { attempt, worker, job_id }`). */
  readonly manifestExtras?: Readonly<Record<string, unknown>>;
}

/** The issue's report; null when the kernel was interrupted while it ran (nothing final is written). */
export async function processIssue(issue: Issue, index: number, ctx: IssueContext): Promise<IssueReport | null> {
  const paths = workcellPaths(ctx.config.kernel.workcells, issue.id);
  const position = { index, total: ctx.total };
  if (isFinished(paths.manifest)) {
    ctx.logger.info({ issueId: issue.id, manifest: paths.manifest }, 'issue already finished; skipping');
    return reportOf(JSON.parse(readFileSync(paths.manifest, 'utf8')) as WorkcellManifest, position, true);
  }
  // A killed kernel's leftovers: runner groups still running, half-done writes. The lock makes this run the owner.
  const leftover = await stopLeftoverRunners(paths.dir, ctx.config.kernel.runner.killGraceMs, ctx.logger);
  if (leftover.length > 0)
    ctx.logger.warn(
      { issueId: issue.id, pgids: leftover },
      'stopped runners an interrupted run left behind; redoing the issue',
    );
  const stale = removeStaleTemps(paths.dir);
  if (stale.length > 0)
    ctx.logger.info({ issueId: issue.id, removed: stale }, 'removed temp files left by an interrupted run');
  const plan = await ctx.scheduler.plan(issue);
  const dispatched = dispatch(plan, { config: ctx.config, workcellId: workcellId(issue.id), now: ctx.now() });
  const { executedPlan } = dispatched;
  const manifest: WorkcellManifest = ctx.manifestExtras
    ? { ...dispatched.manifest, ...ctx.manifestExtras }
    : dispatched.manifest;
  Object.assign(manifest.planner, await ctx.rollout.planned(plan));
  write(ctx, paths.issue, issue, null);
  write(ctx, paths.manifest, manifest, MANIFEST_SCHEMA_ID);
  ctx.logger.info({ issueId: issue.id, executedPlan, mode: plan.mode, backend: plan.backend }, 'issue dispatched');
  const result = await runPlanned(ctx, issue.id, executedPlan, paths);
  if (ctx.signal?.aborted) {
    ctx.logger.warn({ issueId: issue.id }, 'interrupted; the issue stays dispatched and is redone on the next run');
    return null;
  }
  const summary = buildRunSummary({
    runId: manifest.workcell_id,
    issue,
    jobType: plan.jobType,
    plan: executedPlan,
    result,
  });
  const finished = finishManifest(manifest, result);
  write(ctx, paths.runSummary, summary, RUN_SUMMARY_SCHEMA_ID);
  write(ctx, paths.manifest, finished, MANIFEST_SCHEMA_ID);
  ctx.rollout.finished(finished);
  ctx.history.push(summary);
  ctx.logger.info(
    { issueId: issue.id, status: result.status, durationMs: Math.round(result.durationMs) },
    'issue finished',
  );
  return reportOf(finished, position, false);
}

/** Runs the executed plan in the issue's workcell, counted as a running workcell meanwhile. */
async function runPlanned(
  ctx: IssueContext,
  issueId: string,
  plan: ExecutedPlanRecord,
  paths: WorkcellPaths,
): Promise<RunResult> {
  ctx.load.running++;
  try {
    return await runIssue(ctx.config.kernel.runner, {
      issueId,
      plan,
      workcellDir: paths.dir,
      issueFile: paths.issue,
      cwd: ctx.config.root,
      logFile: paths.candidateLog,
      now: ctx.now,
      signal: ctx.signal,
      onGroups: (groups) => {
        try {
          recordRunnerGroups(paths.dir, groups);
        } catch (error) {
          ctx.logger.warn(
            { issueId, err: (error as Error).message },
            'cannot record the runner process groups; a kernel killed now would leave them running',
          );
        }
      },
    });
  } finally {
    ctx.load.running--;
  }
}

function write(ctx: IssueContext, file: string, value: unknown, schemaId: string | null): void {
  if (schemaId) ctx.schemas.assertValid(schemaId, value, file);
  writeJsonAtomic(file, value, ctx.writeHooks);
}
