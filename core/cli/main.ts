#!/usr/bin/env node
/**
 * The `cyntra-planner` CLI entry point. The only place (with the commands) that writes to stdout/stderr, and the one
 * file under core/ that imports plugins/: it builds the logger and the built-in registry once and hands them to the
 * command (test/core/boundary.test.ts keeps it that way).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDefaultRegistry } from '../../plugins/index.js';
import { convertBundle } from '../../plugins/tfjs/convert.js';
import type { Logger } from '../logger.js';
import { packageRoot } from '../paths.js';
import { EXIT_OK, EXIT_USAGE, type CliIO, type CommandDeps } from './command.js';
import { commands } from './commands/index.js';
import { createCliLogger } from './cli-logger.js';
import { errorLine, exitCodeFor } from './exit-code.js';
import { escapeControl } from '../escape-text.js';
import { droppedWarning, streamSink, type LogSink } from './log-sink.js';
import { guardedWriter, exitWhenOutputSettles } from './process-output.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: cyntra-planner <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `cyntra-planner <command> --help` for a command's options.",
    'Library logs go to stderr as JSON; set CYNTRA_PLANNER_LOG_LEVEL (default warn).',
    'Exit codes: 0 success, 1 a failed operation, 2 bad usage or bad input files.',
  ].join('\n');
}

/** The built-in wiring: the default registry (logging to `logger`) and the tfjs converter. */
export function builtinDeps(logger: Logger): CommandDeps {
  return { registry: createDefaultRegistry({ logger }), convertBundle };
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`cyntra-planner: USAGE: no command given\n${usage()}\n`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return EXIT_OK;
  }
  if (name === '--version') {
    io.stdout(`${JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`cyntra-planner: USAGE: unknown command "${escapeControl(name)}"\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io, builtinDeps(io.logger));
  } catch (error) {
    io.stderr(`${errorLine(error)}\n`);
    return exitCodeFor(error);
  }
}

/** A closed stdout or stderr (EPIPE: `run | head -1`) is not a crash: later output to it is dropped. */
function processIO(sink: LogSink): CliIO {
  return {
    stdout: guardedWriter(process.stdout),
    stderr: guardedWriter(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    logger: createCliLogger({ level: process.env.CYNTRA_PLANNER_LOG_LEVEL ?? 'warn', sink }).logger,
  };
}

/** True when this file is the process's entry point (also through the npm `bin` symlink). */
function isEntryPoint(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const sink = streamSink(process.stderr, 'stderr');
  const io = processIO(sink);
  main(process.argv.slice(2), io).then((code) => {
    const warning = droppedWarning(sink);
    if (warning !== null) io.stderr(`${warning}\n`);
    process.exitCode = code;
    exitWhenOutputSettles(code);
  });
}
