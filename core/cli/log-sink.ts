/**
 * Where the CLI's pino logs go: a sink that never blocks and never stops the work. A line is handed to an async
 * stream (stderr or a log file) only while that stream is healthy and its backlog is small; otherwise it is dropped
 * and counted. A stuck reader (a full stderr pipe), a closed one (EPIPE) or a full device (ENOSPC) costs log lines,
 * never progress, and the CLI reports the count at the end as a LOG_WRITE_FAILED warning.
 */
import { createWriteStream, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { ErrorCodes, PlannerError } from '../errors.js';

/** Backlog above which new lines are dropped (the reader is not keeping up). */
export const LOG_BACKLOG_BYTES = 1 << 20;

export interface LogSink {
  /** pino's destination interface. */
  write(line: string): void;
  /** Lines that could not be written. */
  readonly dropped: number;
  /** The first write error seen (e.g. `ENOSPC: no space left on device`), or null. */
  readonly error: string | null;
  /** `stderr` or the log file's path. */
  readonly target: string;
  /** Resolves once the lines handed on so far are written or have failed (use for files, not a stuck pipe). */
  flush(): Promise<void>;
}

/** The first error each watched stream emitted; one listener per stream however many sinks share it. */
const streamErrors = new WeakMap<Writable, string | null>();

function watch(stream: Writable): void {
  if (streamErrors.has(stream)) return;
  streamErrors.set(stream, null);
  stream.on('error', (error: Error) => {
    if (streamErrors.get(stream) === null) streamErrors.set(stream, error.message);
  });
}

/** A sink over an async stream; the stream's errors are caught (an EPIPE on stderr is not a crash). */
export function streamSink(stream: Writable, target: string, backlog = LOG_BACKLOG_BYTES): LogSink {
  const state = { dropped: 0, error: null as string | null };
  watch(stream);
  return {
    write(line: string): void {
      if (streamErrors.get(stream) || stream.destroyed || stream.writableLength > backlog) {
        state.dropped++;
        return;
      }
      stream.write(line, (error) => {
        if (!error) return;
        state.dropped++;
        state.error ??= error.message;
      });
    },
    get dropped() {
      return state.dropped;
    },
    get error() {
      return state.error ?? streamErrors.get(stream) ?? null;
    },
    target,
    flush: () =>
      new Promise<void>((resolveFlush) => {
        if (stream.destroyed || streamErrors.get(stream)) return resolveFlush();
        // writes complete in order: this callback runs once every earlier line is written or has failed
        stream.write('', () => setImmediate(resolveFlush));
      }),
  };
}

/** A sink appending to `file` (its directory is created); a file that cannot be opened is bad usage. */
export function fileSink(file: string, command: string): LogSink {
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'a');
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.USAGE,
      `${command}: --log-file ${file} cannot be opened (${(cause as Error).message}); pass a file in a writable directory`,
      {
        context: { file },
        cause,
      },
    );
  }
  return streamSink(createWriteStream('', { fd, autoClose: true }), file);
}

/** The warning line for dropped log lines, or null when none were dropped. */
export function droppedWarning(sink: LogSink): string | null {
  if (sink.dropped === 0) return null;
  const why = sink.error ? ` (${sink.error})` : ' (the reader was not keeping up)';
  return `cyntra-planner: warning: ${ErrorCodes.LOG_WRITE_FAILED}: ${sink.dropped} log line${sink.dropped === 1 ? '' : 's'} could not be written to ${sink.target}${why} and were dropped`;
}
