/**
 * A kernel worker on the shared Redis queue (BullMQ): takes issue jobs with `kernel.concurrency` slots and runs each
 * through the kernel's own `processIssue` (same planner, scheduler, dispatcher and workcell records as `run`).
 * - A runner that fails is an outcome: the job completes with that status. Only infrastructure errors (workcell not
 *   created, planner crashed) throw, and BullMQ retries them with backoff up to `kernel.queue.attempts`.
 * - A killed worker's job is handed to another worker when its lock expires (BullMQ's stalled-job check); every
 *   attempt starts from a clean workcell unless the issue already finished there, and the manifest records the
 *   attempt number (`queue.attempt`).
 * - Run summaries also go to Redis (`RedisHistory`), and every plan reads them, so all workers share one history.
 * - `close()` stops taking jobs, lets active ones finish for `shutdown_grace_ms`, then kills their runners and releases
 *   the jobs back to the queue (not counted as attempts).
 * - Redis lost: ioredis reconnects with backoff (logged); commands wait for it; a job is only completed in Redis after
 *   its finished manifest is written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../logger.js';
import { jobTypeOf } from '../../planner-input.js';
import type { RunSummary } from '../../planner-input-types.js';
import type { AtomicWriteHooks } from '../atomic-write.js';
import type { IssueReport } from '../issue-report.js';
import type { KernelConfig } from '../kernel-config-types.js';
import { assertRunnerConfigured } from '../kernel-preflight.js';
import { processIssue, type IssueContext } from '../kernel.js';
import { startPlanner, type PlannerStartDeps } from '../start-planner.js';
import { isFinished, readRunSummaries } from '../run-summaries.js';
import { Scheduler } from '../scheduler.js';
import { workcellPaths } from '../workcell-paths.js';
import { bullConnection, type IssueJobData } from './issue-queue.js';
import { connectionOptions, type RedisTarget } from './redis-connection.js';
import { RedisHistory, mergeHistory } from './redis-history.js';

export interface QueueWorkerDeps extends PlannerStartDeps {
  readonly logger?: Logger;
  readonly onIssue?: (report: IssueReport) => void;
  readonly writeHooks?: AtomicWriteHooks;
  /** Recorded in each manifest's `queue.worker` (default `<hostname>:<pid>`). */
  readonly workerId?: string;
}

export interface JobResult {
  readonly status: string;
  readonly skipped: boolean;
  readonly worker: string;
  readonly attempt: number;
}

export interface QueueWorker {
  readonly workerId: string;
  /** Stops taking jobs; active ones get `shutdown_grace_ms`, then are killed and released. Idempotent. */
  close(): Promise<void>;
  /** Kills active runners now and releases their jobs (a second SIGINT). */
  abort(): void;
}

export async function startQueueWorker(
  config: KernelConfig,
  target: RedisTarget,
  deps: QueueWorkerDeps,
): Promise<QueueWorker> {
  assertRunnerConfigured(config);
  const logger = deps.logger ?? silentLogger;
  const { schemas, now, rollout } = await startPlanner(config, deps, logger);
  const planner = rollout.planner;
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}`;
  const onRetry = retryLogger(logger, target);
  const redis = historyClient(target, logger, onRetry);
  const q = config.kernel.queue;
  const shared = new RedisHistory(redis, {
    queueName: q.name,
    universeId: config.kernel.universeId,
    limit: q.historyLimit,
    logger,
    schemas,
  });
  const local: RunSummary[] = readRunSummaries(config.kernel.workcells, logger, schemas);
  const cache = new Map<string, RunSummary[]>();
  const load = { running: 0, next: 0 };
  const history = (): RunSummary[] => mergeHistory(local, [...cache.values()].flat());
  const scheduler = new Scheduler({
    config,
    planner,
    history,
    load: () => ({ activeWorkcells: load.running, queueDepth: null }),
    now,
  });
  const hard = new AbortController();
  const base: IssueContext = {
    config,
    scheduler,
    schemas,
    logger,
    now,
    history: local,
    load,
    total: 0,
    signal: hard.signal,
    writeHooks: deps.writeHooks,
    rollout,
  };
  const processor = async (job: Job<IssueJobData>, token?: string): Promise<JobResult> =>
    runJob(job, token, {
      base,
      shared,
      cache,
      workerId,
      attempt: Math.max(1, job.attemptsStarted),
      onIssue: deps.onIssue,
    });
  const worker = bullWorker(config, target, processor, logger, onRetry);
  logger.info({ workerId, queue: q.name, concurrency: config.kernel.concurrency }, 'queue worker started');
  const close = once(async () => {
    const timer = setTimeout(() => hard.abort(), q.shutdownGraceMs);
    try {
      await worker.close();
    } finally {
      clearTimeout(timer);
      redis.disconnect();
      await rollout.close();
    }
  });
  return { workerId, close, abort: () => hard.abort() };
}

type Processor = (job: Job<IssueJobData>, token?: string) => Promise<JobResult>;

/** The BullMQ worker: a job's lock is `lock_ms`; a job stalled more than `attempts` times fails for good. */
function bullWorker(
  config: KernelConfig,
  target: RedisTarget,
  processor: Processor,
  logger: Logger,
  onRetry: RetryLog,
): Worker<IssueJobData, JobResult> {
  const q = config.kernel.queue;
  const worker = new Worker<IssueJobData, JobResult>(q.name, processor, {
    connection: bullConnection(target, onRetry),
    concurrency: config.kernel.concurrency,
    lockDuration: q.lockMs,
    stalledInterval: q.lockMs,
    maxStalledCount: q.attempts,
  });
  worker.on('error', (error) => logger.debug({ err: error.message }, 'queue worker error'));
  worker.on('failed', (job, error) =>
    logger.warn(
      { issueId: job?.data.issue.id, attempt: job?.attemptsStarted, err: error.message },
      'issue attempt failed (infrastructure); BullMQ retries it while attempts remain',
    ),
  );
  return worker;
}

/** The connection for the shared history; logs when a lost connection is back. */
function historyClient(target: RedisTarget, logger: Logger, onRetry: RetryLog): Redis {
  const redis = new Redis(connectionOptions(target, onRetry));
  redis.on('error', () => {}); // reconnection is logged by onRetry
  let lost = false;
  redis.on('reconnecting', () => (lost = true));
  redis.on('ready', () => {
    if (lost) logger.warn({ host: target.host, port: target.port }, 'queue: Redis connection back; resuming');
    lost = false;
  });
  return redis;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}

interface JobContext {
  readonly base: IssueContext;
  readonly shared: RedisHistory;
  readonly cache: Map<string, RunSummary[]>;
  readonly workerId: string;
  readonly attempt: number;
  readonly onIssue?: (report: IssueReport) => void;
}

async function runJob(job: Job<IssueJobData>, token: string | undefined, j: JobContext): Promise<JobResult> {
  const { issue, index, total } = job.data;
  const paths = workcellPaths(j.base.config.kernel.workcells, issue.id);
  if (!isFinished(paths.manifest) && existsSync(paths.dir)) {
    j.base.logger.info(
      { issueId: issue.id, attempt: j.attempt },
      "removing an earlier attempt's unfinished workcell; this attempt starts clean",
    );
    rmSync(paths.dir, { recursive: true, force: true });
  }
  const jobType = jobTypeOf(issue);
  j.cache.set(jobType, await j.shared.read(jobType));
  const queue = {
    backend: 'redis',
    name: j.base.config.kernel.queue.name,
    job_id: job.id ?? null,
    attempt: j.attempt,
    worker: j.workerId,
  };
  const report = await processIssue(issue, index, { ...j.base, total, manifestExtras: { queue } });
  if (report === null) {
    // Shut down while running: hand the job back without spending an attempt.
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError('released on shutdown');
  }
  const summary = JSON.parse(readFileSync(paths.runSummary, 'utf8')) as RunSummary;
  await j.shared.push(summary);
  j.onIssue?.(report);
  return { status: report.outcome, skipped: report.skipped, worker: j.workerId, attempt: j.attempt };
}

/** Logs a lost connection once, then every 10th retry; and when it is back. */
type RetryLog = (attempt: number, delayMs: number) => void;

function retryLogger(logger: Logger, target: RedisTarget): RetryLog {
  return (attempt, delayMs) => {
    if (attempt === 1 || attempt % 10 === 0) {
      logger.warn(
        { host: target.host, port: target.port, attempt, retryInMs: delayMs },
        'queue: Redis connection lost; workers pause and retry',
      );
    }
  };
}
