/**
 * Runs the CLI in-process the way a test wants it: `main` with output captured into arrays, no environment, no
 * terminal and a silent logger. One helper for every CLI test instead of a copy per file.
 */
import type { CliIO } from '../../core/cli/command.js';
import { main } from '../../core/cli/main.js';
import { silentLogger } from '../../core/logger.js';

export interface CapturedIO {
  readonly io: CliIO;
  /** Everything written to stdout, one entry per write. */
  readonly out: string[];
  /** Everything written to stderr, one entry per write. */
  readonly err: string[];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CliIO whose stdout and stderr are captured, for a command run in `cwd`. */
export function captureIO(cwd: string): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env: {},
    isTTY: false,
    logger: silentLogger,
  };
  return { io, out, err };
}

/** `cyntra-planner ...argv` in `cwd`: the exit code and what it printed. */
export async function runCli(argv: readonly string[], cwd: string): Promise<CliResult> {
  const { io, out, err } = captureIO(cwd);
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
