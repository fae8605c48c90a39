/** `cyntra-planner run`: the kernel's main job over an issue queue (spec §4.4 flags win over the config file). */
import { resolve } from 'node:path';
import { ErrorCodes, PlannerError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { applyCliOverrides, type CliOverrides } from '../../kernel/cli-overrides.js';
import type { KernelConfig, PlannerMode } from '../../kernel/kernel-config-types.js';
import type { Issue } from '../../planner-input-types.js';
import { runKernel } from '../../kernel/kernel.js';
import { loadKernelConfig } from '../../kernel/load-config.js';
import { readIssues } from '../../kernel/issue-source.js';
import { progressLine, summaryTable } from '../../kernel/summary-table.js';
import { parseCommandArgs, parseNumberOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIO, type Command } from '../command.js';
import { errorLine, exitCodeFor } from '../exit-code.js';
import { createCliLogger, LOG_LEVELS } from '../cli-logger.js';
import { droppedWarning, type LogSink } from '../log-sink.js';
import { queueTargetOf, type QueueTarget } from '../../kernel/queue/queue-target.js';
import { runOnQueue } from '../queue-run.js';

const HELP = `Usage: cyntra-planner run [--config FILE] [--issues FILE|DIR] [--planner-model DIR]
                          [--planner-mode enabled|disabled|shadow] [--confidence-threshold X]
                          [--workcells DIR] [--queue redis://HOST:PORT/DB] [--log-level L] [--log-file F]

Plans and runs every issue of a queue, writing a manifest and a run summary per issue under the workcell
directory. Issues with a finished manifest are skipped, so a restarted run resumes where it stopped.

  --config FILE              kernel config (default .cyntra/config.yaml if present, else built-in defaults);
                             relative paths in it resolve against its project root (see docs); it must set
                             kernel.runner.command, the command run for each issue
  --issues FILE|DIR          JSONL file (one issue per line) or directory of *.json issues (default kernel.issues)
  --planner-model DIR        model bundle directory (overrides planner.model.path)
  --planner-mode MODE        enabled | disabled | shadow (overrides planner.enabled and flags.shadow_mode)
  --confidence-threshold X   in [0, 1] (overrides planner.inference.confidence_threshold)
  --workcells DIR            where manifests go (overrides kernel.workcells)
  --queue URL                put the issues on a shared Redis queue (job id = issue id: issues already queued or
                             done are not added again; dk_priority P0 first) and work on them here until each is
                             done; \`cyntra-planner worker\` on other machines helps (default kernel.queue, local)
  --log-level L              trace|debug|info|warn|error|silent (default: $CYNTRA_PLANNER_LOG_LEVEL or warn)
  --log-file F               pino JSON logs to F (default stderr; compact lines when stderr is a terminal)

Rollout: with kernel.metrics set, Prometheus metrics are served at the printed URL (stderr) while the queue runs;
with planner.challengers, each challenger predicts in shadow and is recorded in the manifest; SIGHUP reloads the
model bundle (as does planner.model.watch when metadata.json is renamed into the bundle); a bundle that fails its
checks is refused and the old one keeps serving. \`cyntra-planner report --workcells DIR\` reads the result.

The workcells directory is locked while the run works: a second run on it exits 1 (WORKCELLS_LOCKED). Log lines
that cannot be written (stderr nobody reads, a full device) are dropped and counted (warning LOG_WRITE_FAILED).

Exit codes: 0 every issue processed (even when runs failed), 1 kernel failure (or the workcells are locked by
another run), 2 bad usage or config (a metrics port in use, a challenger path that does not exist).`;

const MODES: readonly PlannerMode[] = ['enabled', 'disabled', 'shadow'];
/** Bad rollout settings found at start (a metrics port in use, a challenger bundle missing): exit 2, with the code. */

export const runCommand: Command = {
  name: 'run',
  summary: 'plan and run an issue queue (the kernel main job)',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('run', argv, {
      config: { type: 'string' },
      issues: { type: 'string' },
      'planner-model': { type: 'string' },
      'planner-mode': { type: 'string' },
      'confidence-threshold': { type: 'string' },
      workcells: { type: 'string' },
      'log-level': { type: 'string' },
      'log-file': { type: 'string' },
      queue: { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const overrides = parseOverrides(values);
    const { logger, sink } = createRunLogger(
      values['log-level'] ?? io.env.CYNTRA_PLANNER_LOG_LEVEL ?? 'warn',
      values['log-file'],
      io,
    );
    let prepared: { config: KernelConfig; issues: Issue[] };
    try {
      prepared = prepare(values.config, overrides, io);
    } catch (error) {
      return usageFailure(error, io);
    }
    const { config, issues } = prepared;
    let queued: QueueTarget | null;
    try {
      queued = queueTargetOf(config, values.queue);
    } catch (error) {
      return usageFailure(error, io);
    }
    if (queued) return runOnQueue(queued, issues, logger, io, deps.registry.withLogger(logger));
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      const rollout = {
        reloadOnSighup: true,
        onMetricsListening: (url: string) => io.stderr(`cyntra-planner: run: metrics at ${url}\n`),
      };
      const report = await runKernel(config, issues, {
        logger,
        registry: deps.registry.withLogger(logger),
        signal: stop.signal,
        onIssue: (r) => io.stdout(`${progressLine(r)}\n`),
        rollout,
      });
      io.stdout(`\n${summaryTable(report.issues)}\nworkcells: ${config.kernel.workcells}\n`);
      if (report.interrupted) {
        io.stderr(
          'cyntra-planner: run: interrupted; unfinished issues stay dispatched and are redone by the next run\n',
        );
        return EXIT_FAILED;
      }
      return EXIT_OK;
    } catch (error) {
      if (exitCodeFor(error) === EXIT_USAGE) return usageFailure(error, io);
      io.stderr(`${errorLine(error)}\n`);
      return EXIT_FAILED;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      await reportDroppedLogs(sink, io);
    }
  },
};

/** The LOG_WRITE_FAILED warning on stderr, and on stdout too when stderr was the log's (failing) target. */
async function reportDroppedLogs(sink: LogSink | null, io: CliIO): Promise<void> {
  if (sink && sink.target !== 'stderr') await sink.flush();
  const warning = sink ? droppedWarning(sink) : null;
  if (warning === null) return;
  io.stderr(`${warning}\n`);
  if (sink!.target === 'stderr') io.stdout(`${warning}\n`);
}

/** Config, overrides and the issue queue: every problem here is bad usage or a bad file (exit 2). */
function prepare(
  file: string | undefined,
  overrides: CliOverrides,
  io: CliIO,
): { config: KernelConfig; issues: Issue[] } {
  const loaded = loadKernelConfig({ cwd: io.cwd, file });
  for (const w of loaded.warnings) io.stderr(`warning: ${w.message}\n`);
  const config = applyCliOverrides(loaded.config, overrides, io.cwd);
  if (config.kernel.issues === null)
    throw new PlannerError(
      ErrorCodes.USAGE,
      'run: no issue queue; pass --issues FILE|DIR or set kernel.issues in the config',
    );
  return { config, issues: readIssues(config.kernel.issues) };
}

/** One coded line (`cyntra-planner: CODE: file:line:col: message` for config errors) and exit 2; anything else goes up to main. */
export function usageFailure(error: unknown, io: CliIO): number {
  if (error instanceof PlannerError && exitCodeFor(error) === EXIT_USAGE) {
    io.stderr(`${errorLine(error)}\n`);
    return EXIT_USAGE;
  }
  throw error;
}

function parseOverrides(values: Record<string, string | boolean | undefined>): CliOverrides {
  const mode = values['planner-mode'] as string | undefined;
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) {
    throw new PlannerError(ErrorCodes.USAGE, `run: --planner-mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  }
  return {
    plannerModel: values['planner-model'] as string | undefined,
    plannerMode: mode as PlannerMode | undefined,
    confidenceThreshold: parseNumberOption(
      'run',
      values['confidence-threshold'] as string | undefined,
      '--confidence-threshold',
      0,
      1,
    ),
    issues: values.issues as string | undefined,
    workcells: values.workcells as string | undefined,
  };
}

/** The run's logger (--log-level, --log-file; compact lines on a terminal), made by the CLI's one logger factory. */
export function createRunLogger(
  level: string,
  file: string | undefined,
  io: CliIO,
): { logger: Logger; sink: LogSink | null } {
  if (!LOG_LEVELS.includes(level))
    throw new PlannerError(
      ErrorCodes.USAGE,
      `run: --log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`,
    );
  return createCliLogger({
    level,
    file: file === undefined ? undefined : resolve(io.cwd, file),
    compactTo: io.isTTY ? io.stderr : undefined,
    command: 'run',
  });
}
