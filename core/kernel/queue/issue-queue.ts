/**
 * The shared issue queue on BullMQ: enqueueing (job id = issue id, so re-enqueueing an issue already queued or done
 * adds nothing; `dk_priority` P0..P3 → BullMQ priority 1..4, P0 first), the job options that bound infrastructure
 * retries, and the counts `queue status` prints.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Issue } from '../../planner-input-types.js';
import type { QueueSection } from '../kernel-config-types.js';
import { connectionOptions, type RedisTarget } from './redis-connection.js';

/** What a job carries: the issue itself and its position in the set it was enqueued with. */
export interface IssueJobData {
  readonly issue: Issue;
  readonly index: number;
  readonly total: number;
}

const PRIORITIES: Readonly<Record<string, number>> = { P0: 1, P1: 2, P2: 3, P3: 4 };

/** BullMQ priority of an issue: P0 → 1 (first) ... P3 → 4; anything else is P2. */
export function priorityOf(issue: Issue): number {
  const p = (issue as { dk_priority?: unknown }).dk_priority;
  return typeof p === 'string' && p in PRIORITIES ? PRIORITIES[p] : PRIORITIES.P2;
}

/**
 * The job id of an issue: the issue id itself, unless BullMQ would refuse it (an all-digits id, or one with `:`),
 * which gets an `issue-` prefix and `:` escaped, so every issue id maps to one job id.
 */
export function jobIdOf(issueId: string): string {
  if (/^\d+$/.test(issueId) || issueId.includes(':') || issueId.startsWith('issue-'))
    return `issue-${issueId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
  return issueId;
}

export function jobOptions(issue: Issue, q: QueueSection): JobsOptions {
  return {
    jobId: jobIdOf(issue.id),
    priority: priorityOf(issue),
    attempts: q.attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: false,
    removeOnFail: false,
  };
}

/** BullMQ's connection type for our ioredis options (the same fields; BullMQ declares its own type). */
export function bullConnection(
  target: RedisTarget,
  onRetry?: (attempt: number, delayMs: number) => void,
): ConnectionOptions {
  return connectionOptions(target, onRetry) as ConnectionOptions;
}

export type IssueQueue = Queue<IssueJobData, unknown, string>;

export function openQueue(target: RedisTarget, q: QueueSection): IssueQueue {
  return new Queue(q.name, { connection: bullConnection(target) }) as IssueQueue;
}

/** Adds every issue (no-op for ids already in the queue, whatever their state). Returns the job ids. */
export async function enqueueIssues(queue: IssueQueue, issues: readonly Issue[], q: QueueSection): Promise<string[]> {
  const jobs = issues.map((issue, index) => ({
    name: 'issue',
    data: { issue, index, total: issues.length },
    opts: jobOptions(issue, q),
  }));
  for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  return jobs.map((j) => jobIdOf(j.data.issue.id));
}

export interface QueueStatus {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  /** The waiting issue enqueued first; null when nothing waits. */
  readonly oldestWaiting: { readonly issueId: string; readonly enqueuedMs: number } | null;
}

export async function queueStatus(queue: IssueQueue): Promise<QueueStatus> {
  const c = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed');
  const waitingJobs = await queue.getJobs(['wait', 'prioritized'], 0, -1, true);
  let oldest: QueueStatus['oldestWaiting'] = null;
  for (const job of waitingJobs) {
    if (job && (oldest === null || job.timestamp < oldest.enqueuedMs))
      oldest = { issueId: job.data.issue.id, enqueuedMs: job.timestamp };
  }
  return {
    waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
    delayed: c.delayed ?? 0,
    active: c.active ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
    oldestWaiting: oldest,
  };
}

/** True when every job id is completed or failed for good. */
export async function allSettled(
  queue: IssueQueue,
  jobIds: readonly string[],
): Promise<{ done: number; failed: number }> {
  const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
  return {
    done: states.filter((s) => s === 'completed' || s === 'failed').length,
    failed: states.filter((s) => s === 'failed').length,
  };
}
