/**
 * The CLI's loggers, made in one place: pino JSON on stderr (main.ts, once per process), or for `run`, to a
 * `--log-file`, or compact `LEVEL msg key=value` lines when a person is at the terminal. JSON goes through a log
 * sink (log-sink.ts) that never blocks the work: lines a stuck, closed or full target cannot take are dropped and
 * counted, and the CLI reports the count at the end (LOG_WRITE_FAILED).
 */
import { pino } from 'pino';
import type { Logger } from '../logger.js';
import { fileSink, streamSink, type LogSink } from './log-sink.js';

export const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface CliLoggerOptions {
  readonly level: string;
  /** An absolute file path (its directory is created); a file that cannot be opened is bad usage (USAGE). */
  readonly file?: string;
  /** Writes compact lines here instead of JSON (a terminal); ignored with `file`. */
  readonly compactTo?: (text: string) => void;
  /** The sink for JSON on stderr (default: a new one over process.stderr). */
  readonly sink?: LogSink;
  /** The command named in a --log-file error. */
  readonly command?: string;
}

export interface CliLogger {
  readonly logger: Logger;
  /** Where JSON lines go, with the count of dropped ones; null for compact lines on a terminal. */
  readonly sink: LogSink | null;
}

export function createCliLogger(options: CliLoggerOptions): CliLogger {
  const { level, file, compactTo } = options;
  if (file === undefined && compactTo) {
    const dest = { write: (line: string) => compactTo(`${compact(line)}\n`) };
    return { logger: pino({ level, base: undefined }, dest) as unknown as Logger, sink: null };
  }
  const sink =
    file !== undefined
      ? fileSink(file, options.command ?? 'run')
      : (options.sink ?? streamSink(process.stderr, 'stderr'));
  return { logger: pino({ level, base: undefined }, sink) as unknown as Logger, sink };
}

function compact(line: string): string {
  const { level, msg, time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const name = pino.levels.labels[level as number] ?? String(level);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  void time;
  return [name.toUpperCase().padEnd(5), msg, ...fields].join(' ');
}
