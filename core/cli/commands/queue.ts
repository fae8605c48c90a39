/** `cyntra-planner queue status`: the shared Redis queue's counts and its oldest waiting issue. */
import { openQueue, queueStatus, type QueueStatus } from '../../kernel/queue/issue-queue.js';
import { probeQueue, type QueueTarget } from '../../kernel/queue/queue-target.js';
import { redact } from '../../kernel/queue/redis-connection.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { usageFailure } from './run.js';
import { queueConfig } from './worker.js';

const HELP = `Usage: cyntra-planner queue status [--queue redis://HOST:PORT/DB] [--config FILE] [--json]

Prints the shared issue queue's counts: waiting (including prioritized), delayed (retry backoff), active, completed
and failed (infrastructure failures past kernel.queue.attempts; a runner that fails is a completed issue), and the
oldest waiting issue.

  --queue URL    redis://[user:pass@]HOST:PORT[/DB] (default kernel.queue.url)
  --config FILE  kernel config (default .cyntra/config.yaml if present); kernel.queue.name names the queue
  --json         one JSON object instead of text

Exit codes: 0 printed, 1 Redis unreachable (QUEUE_UNAVAILABLE), 2 bad usage or config.`;

export const queueCommand: Command = {
  name: 'queue',
  summary: 'inspect the shared Redis issue queue (`queue status`)',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      'queue',
      argv,
      { queue: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    let t: QueueTarget;
    try {
      if (positionals.length !== 1 || positionals[0] !== 'status') {
        throw new PlannerError(
          ErrorCodes.USAGE,
          `queue: expected the subcommand "status", got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}; see queue --help`,
        );
      }
      t = queueConfig('queue status', values.config, values.queue, undefined, undefined, io);
    } catch (error) {
      return usageFailure(error, io);
    }
    await probeQueue(t);
    const queue = openQueue(t.target, t.config.kernel.queue);
    queue.on('error', () => {});
    try {
      const status = await queueStatus(queue);
      io.stdout(
        values.json
          ? `${JSON.stringify({ queue: t.config.kernel.queue.name, ...status })}\n`
          : statusText(t, status, Date.now()),
      );
      return EXIT_OK;
    } finally {
      await queue.close().catch(() => {});
    }
  },
};

function statusText(t: QueueTarget, s: QueueStatus, now: number): string {
  const oldest = s.oldestWaiting
    ? `${s.oldestWaiting.issueId} (enqueued ${Math.round((now - s.oldestWaiting.enqueuedMs) / 1000)} s ago)`
    : '-';
  return [
    `queue "${t.config.kernel.queue.name}" at ${redact(t.url)}`,
    `  waiting    ${s.waiting}`,
    `  delayed    ${s.delayed}`,
    `  active     ${s.active}`,
    `  completed  ${s.completed}`,
    `  failed     ${s.failed}`,
    `  oldest waiting: ${oldest}`,
    '',
  ].join('\n');
}
