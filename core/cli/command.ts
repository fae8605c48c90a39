/**
 * A CLI command: a name, a help text that tells the truth, and `run`, which returns the exit code.
 * Exit codes: 0 success, 1 a failed operation, 2 bad usage or bad input files.
 */
import type { BackendRegistry } from '../backend/registry.js';
import type { Logger } from '../logger.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when a person is at a terminal (progress lines, pretty logs). */
  readonly isTTY: boolean;
  /** Logger for library code; the CLI alone writes to stdout/stderr. */
  readonly logger: Logger;
}

/** What `main.ts` builds once and hands to every command (core/cli/main.ts is the one place that wires plugins). */
export interface CommandDeps {
  /** The built-in backends, logging to `CliIO.logger`; commands add `--plugin` packages to it. */
  readonly registry: BackendRegistry;
  /** Turns a torch `state_dict` bundle into a tfjs or ONNX bundle (the tfjs plugin's converter). */
  readonly convertBundle: ConvertBundle;
}

export type ConvertTarget = 'tfjs' | 'onnx';

export type ConvertBundle = (options: {
  from: string;
  to: ConvertTarget;
  out: string;
  force?: boolean;
}) => Promise<{ out: string; files: Readonly<Record<string, unknown>> }>;

export interface Command {
  readonly name: string;
  /** One line for `cyntra-planner --help`. */
  readonly summary: string;
  /** Full `cyntra-planner <name> --help` text. */
  readonly help: string;
  run(argv: readonly string[], io: CliIO, deps: CommandDeps): Promise<number>;
}
