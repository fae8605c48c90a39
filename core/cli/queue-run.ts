/**
 * The CLI side of the Redis queue backend: `run --queue` (enqueue the issue set, work on it here until every one of
 * its issues is completed or failed for good) and `worker` (work until SIGTERM/SIGINT, or until the queue is drained
 * with --exit-when-drained). One SIGTERM/SIGINT closes gracefully; a second kills active runners and releases them.
 */
import type { BackendRegistry } from '../backend/registry.js';
import type { Logger } from '../logger.js';
import type { Issue } from '../planner-input-types.js';
import { progressLine, summaryTable } from '../kernel/summary-table.js';
import type { IssueReport } from '../kernel/issue-report.js';
import { allSettled, enqueueIssues, openQueue, queueStatus } from '../kernel/queue/issue-queue.js';
import { probeQueue, type QueueTarget } from '../kernel/queue/queue-target.js';
import { startQueueWorker, type QueueWorker, type QueueWorkerDeps } from '../kernel/queue/queue-worker.js';
import { redact } from '../kernel/queue/redis-connection.js';
import { EXIT_FAILED, EXIT_OK, type CliIO } from './command.js';

const POLL_MS = 500;

/** `run --queue`: exit 0 when every issue of the set finished (runner failures included), 1 when some failed for good. */
export function runOnQueue(
  t: QueueTarget,
  issues: readonly Issue[],
  logger: Logger,
  io: CliIO,
  registry: BackendRegistry,
): Promise<number> {
  return onQueue(t, async ({ queue, stop, start }) => {
    const reports: IssueReport[] = [];
    const ids = await enqueueIssues(queue, issues, t.config.kernel.queue);
    io.stderr(
      `queue: ${ids.length} issues on "${t.config.kernel.queue.name}" at ${redact(t.url)} (issues already queued or done are not added again)\n`,
    );
    const worker = await start({
      logger,
      registry,
      onIssue: (r) => (reports.push(r), io.stdout(`${progressLine(r)}\n`)),
    });
    let settled = await allSettled(queue, ids);
    while (settled.done < ids.length && !stop.stopped) {
      await sleep(POLL_MS);
      settled = await allSettled(queue, ids);
    }
    await worker.close();
    io.stdout(
      `\n${summaryTable(reports)}\nqueue: ${settled.done}/${ids.length} issues done (${settled.failed} failed for good), ${reports.length} run by this process; workcells: ${t.config.kernel.workcells}\n`,
    );
    if (settled.done < ids.length) {
      io.stderr('cyntra-planner: run: interrupted; unfinished issues stay on the queue for any worker\n');
      return EXIT_FAILED;
    }
    return settled.failed > 0 ? EXIT_FAILED : EXIT_OK;
  });
}

/** `worker`: works until a signal, or until nothing is waiting, delayed or active with `exitWhenDrained`. */
export function workQueue(
  t: QueueTarget,
  logger: Logger,
  io: CliIO,
  exitWhenDrained: boolean,
  registry: BackendRegistry,
): Promise<number> {
  return onQueue(t, async ({ queue, stop, start }) => {
    let count = 0;
    const worker = await start({ logger, registry, onIssue: (r) => (count++, io.stdout(`${progressLine(r)}\n`)) });
    io.stderr(
      `worker ${worker.workerId}: working on "${t.config.kernel.queue.name}" at ${redact(t.url)} with concurrency ${t.config.kernel.concurrency}\n`,
    );
    while (!stop.stopped) {
      await sleep(POLL_MS);
      if (exitWhenDrained && (await drained(queue))) break;
    }
    await worker.close();
    io.stderr(`worker ${worker.workerId}: stopped after ${count} issues\n`);
    return EXIT_OK;
  });
}

interface QueueSession {
  readonly queue: ReturnType<typeof openQueue>;
  readonly stop: { readonly stopped: boolean };
  /** Starts this process's worker (closed with the session). */
  start(deps: QueueWorkerDeps): Promise<QueueWorker>;
}

/** Checks Redis, opens the queue and handles SIGTERM/SIGINT around `body`; the worker and queue are closed after it. */
async function onQueue(t: QueueTarget, body: (session: QueueSession) => Promise<number>): Promise<number> {
  await probeQueue(t);
  const queue = openQueue(t.target, t.config.kernel.queue);
  queue.on('error', () => {});
  let worker: QueueWorker | null = null;
  const stop = signalStop(() => worker);
  try {
    return await body({
      queue,
      stop,
      start: async (deps) => (worker = await startQueueWorker(t.config, t.target, deps)),
    });
  } finally {
    stop.dispose();
    await (worker as QueueWorker | null)?.close();
    await queue.close().catch(() => {});
  }
}

async function drained(queue: ReturnType<typeof openQueue>): Promise<boolean> {
  const s = await queueStatus(queue);
  return s.waiting + s.delayed + s.active === 0;
}

/** First signal: stop (the caller closes gracefully). Second: kill active runners now. */
function signalStop(worker: () => QueueWorker | null): { readonly stopped: boolean; dispose(): void } {
  const state = { stopped: false };
  const onSignal = (): void => {
    if (state.stopped) worker()?.abort();
    state.stopped = true;
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return {
    get stopped() {
      return state.stopped;
    },
    dispose: () => void process.off('SIGINT', onSignal).off('SIGTERM', onSignal),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
