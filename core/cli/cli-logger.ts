/**
 * The CLI's loggers, made in one place: pino JSON on stderr (main.ts, once per process), or for `run`, to a
 * `--log-file`, or compact `LEVEL msg key=value` lines when a person is at the terminal.
 */
import { pino } from 'pino';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { Logger } from '../logger.js';

export const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface CliLoggerOptions {
  readonly level: string;
  /** An absolute file path (its directory is created); default stderr. */
  readonly file?: string;
  /** Writes compact lines here instead of JSON (a terminal); ignored with `file`. */
  readonly compactTo?: (text: string) => void;
}

export function createCliLogger(options: CliLoggerOptions): Logger {
  const { level, file, compactTo } = options;
  if (file !== undefined) return pino({ level, base: undefined }, openLogFile(file)) as unknown as Logger;
  if (!compactTo) return pino({ level, base: undefined }, pino.destination(2)) as unknown as Logger;
  return pino({ level, base: undefined }, { write: (line: string) => compactTo(`${compact(line)}\n`) }) as unknown as Logger;
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
