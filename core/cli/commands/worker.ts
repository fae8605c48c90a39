/** `cyntra-planner worker`: works on the shared Redis issue queue that `run --queue` fills (docs/scaling.md). */
import { ErrorCodes, PlannerError } from '../../errors.js';
import type { KernelConfig } from '../../kernel/kernel-config-types.js';
import { applyCliOverrides } from '../../kernel/cli-overrides.js';
import { loadKernelConfig } from '../../kernel/load-config.js';
import { requireQueueTarget, type QueueTarget } from '../../kernel/queue/queue-target.js';
import { parseCommandArgs, parseNumberOption } from '../args.js';
import { EXIT_OK, type CliIO, type Command } from '../command.js';
import { workQueue } from '../queue-run.js';
import { createRunLogger, usageFailure } from './run.js';

const HELP = `Usage: cyntra-planner worker [--queue redis://HOST:PORT/DB] [--config FILE] [--concurrency N]
                             [--workcells DIR] [--exit-when-drained] [--log-level L] [--log-file F]

Takes issues from the shared Redis queue (filled by \`run --queue\`) and plans and runs them exactly like \`run\`,
writing workcells on this machine. Start any number of workers, on any machines, with the same config and bundle.
Run summaries are shared through Redis, so every worker plans with the same history. A worker killed mid-issue
loses nothing: its issue is handed to another worker after kernel.queue.lock_ms. SIGTERM/SIGINT: stop taking
issues, let active ones finish for kernel.queue.shutdown_grace_ms, then kill them and hand them back; a second
signal does that at once.

  --queue URL            redis://[user:pass@]HOST:PORT[/DB] (default kernel.queue.url)
  --config FILE          kernel config (default .cyntra/config.yaml if present)
  --concurrency N        issues at once on this worker (default kernel.concurrency)
  --workcells DIR        where manifests go (overrides kernel.workcells)
  --exit-when-drained    exit once nothing is waiting, delayed or active on the queue
  --log-level L          trace|debug|info|warn|error|silent (default: $CYNTRA_PLANNER_LOG_LEVEL or warn)
  --log-file F           pino JSON logs to F

Exit codes: 0 stopped cleanly, 1 Redis unreachable (QUEUE_UNAVAILABLE) or kernel failure, 2 bad usage or config.`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'work on a shared Redis issue queue (any number of machines)',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('worker', argv, {
      queue: { type: 'string' },
      config: { type: 'string' },
      concurrency: { type: 'string' },
      workcells: { type: 'string' },
      'exit-when-drained': { type: 'boolean' },
      'log-level': { type: 'string' },
      'log-file': { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const { logger } = createRunLogger(
      values['log-level'] ?? io.env.CYNTRA_PLANNER_LOG_LEVEL ?? 'warn',
      values['log-file'],
      io,
    );
    let target: QueueTarget;
    try {
      const concurrency = parseNumberOption('worker', values.concurrency, '--concurrency', 1, 64);
      if (concurrency !== undefined && !Number.isInteger(concurrency))
        throw new PlannerError(ErrorCodes.USAGE, 'worker: --concurrency must be an integer');
      target = queueConfig('worker', values.config, values.queue, values.workcells, concurrency, io);
    } catch (error) {
      return usageFailure(error, io);
    }
    return workQueue(target, logger, io, values['exit-when-drained'] === true, deps.registry.withLogger(logger));
  },
};

/** The config with `--workcells`, `--concurrency` and `--queue` applied; a queue is required. */
export function queueConfig(
  command: string,
  file: string | undefined,
  queue: string | undefined,
  workcells: string | undefined,
  concurrency: number | undefined,
  io: CliIO,
): QueueTarget {
  const loaded = loadKernelConfig({ cwd: io.cwd, file });
  for (const w of loaded.warnings) io.stderr(`warning: ${w.message}\n`);
  let config: KernelConfig = applyCliOverrides(loaded.config, { workcells }, io.cwd);
  if (concurrency !== undefined) config = { ...config, kernel: { ...config.kernel, concurrency } };
  return requireQueueTarget(config, queue, command);
}
