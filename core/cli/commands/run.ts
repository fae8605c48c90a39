/** `cyntra-planner run`: the kernel's main job over an issue queue (spec §4.4 flags win over the config file). */
import { resolve } from 'node:path';
import { pino } from 'pino';
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

Exit codes: 0 every issue processed (even when runs failed), 1 kernel failure, 2 bad usage or config.`;

const MODES: readonly PlannerMode[] = ['enabled', 'disabled', 'shadow'];

export const runCommand: Command = {
  name: 'run',
  summary: 'plan and run an issue queue (the kernel main job)',
  help: HELP,
  async run(argv, io) {
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
    if (values.help) return io.stdout(`${HELP}\n`), EXIT_OK;
    const overrides = parseOverrides(values);
    const logger = createRunLogger(values['log-level'] ?? io.env.CYNTRA_PLANNER_LOG_LEVEL ?? 'warn', values['log-file'], io);
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
    if (queued) return runOnQueue(queued, issues, logger, io);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      const report = await runKernel(config, issues, { logger, signal: stop.signal, onIssue: (r) => io.stdout(`${progressLine(r)}\n`) });
      io.stdout(`\n${summaryTable(report.issues)}\nworkcells: ${config.kernel.workcells}\n`);
      if (report.interrupted) {
        io.stderr('cyntra-planner: run: interrupted; unfinished issues stay dispatched and are redone by the next run\n');
        return EXIT_FAILED;
      }
      return EXIT_OK;
    } catch (error) {
      if (error instanceof PlannerError && error.code === ErrorCodes.CONFIG_INVALID) return usageFailure(error, io);
      io.stderr(`${errorLine(error)}\n`);
      return EXIT_FAILED;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  },
};

/** Config, overrides and the issue queue: every problem here is bad usage or a bad file (exit 2). */
function prepare(file: string | undefined, overrides: CliOverrides, io: CliIO): { config: KernelConfig; issues: Issue[] } {
  const loaded = loadKernelConfig({ cwd: io.cwd, file });
  for (const w of loaded.warnings) io.stderr(`warning: ${w.message}\n`);
  const config = applyCliOverrides(loaded.config, overrides, io.cwd);
  if (config.kernel.issues === null) throw new PlannerError(ErrorCodes.USAGE, 'run: no issue queue; pass --issues FILE|DIR or set kernel.issues in the config');
  return { config, issues: readIssues(config.kernel.issues) };
}

/** One line (`file:line:col: message` for config errors) and exit 2; anything else goes up to main. */
export function usageFailure(error: unknown, io: CliIO): number {
  if (error instanceof PlannerError && exitCodeFor(error) === EXIT_USAGE) {
    io.stderr(`${error.message.split('\n')[0]}\n`);
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
    confidenceThreshold: parseNumberOption('run', values['confidence-threshold'] as string | undefined, '--confidence-threshold', 0, 1),
    issues: values.issues as string | undefined,
    workcells: values.workcells as string | undefined,
  };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** pino JSON to a file or stderr; compact `LEVEL msg key=value` lines when a person is at the terminal. */
export function createRunLogger(level: string, file: string | undefined, io: CliIO): Logger {
  if (!LEVELS.includes(level)) throw new PlannerError(ErrorCodes.USAGE, `run: --log-level must be one of ${LEVELS.join(', ')}, got "${level}"`);
  if (file !== undefined) return pino({ level, base: undefined }, openLogFile(resolve(io.cwd, file))) as unknown as Logger;
  if (!io.isTTY) return pino({ level, base: undefined }, pino.destination(2)) as unknown as Logger;
  return pino({ level, base: undefined }, { write: (line: string) => io.stderr(`${compact(line)}\n`) }) as unknown as Logger;
}

/** The --log-file destination (its directory is created); a path that cannot be opened is bad usage. */
function openLogFile(file: string): ReturnType<typeof pino.destination> {
  try {
    return pino.destination({ dest: file, sync: true, mkdir: true });
  } catch (cause) {
    throw new PlannerError(ErrorCodes.USAGE, `run: --log-file ${file} cannot be opened (${(cause as Error).message}); pass a file in a writable directory`, {
      context: { file },
      cause,
    });
  }
}

function compact(line: string): string {
  const { level, msg, time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const name = pino.levels.labels[level as number] ?? String(level);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  void time;
  return [name.toUpperCase().padEnd(5), msg, ...fields].join(' ');
}
