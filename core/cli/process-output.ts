/**
 * The CLI's own stdout and stderr. A reader that goes away (EPIPE: `run | head -1`) is not a crash: the stream's
 * error is caught and later output to it is dropped, so the work (and the runners it started) carries on to a
 * clean end. A reader that stops reading must not keep the process alive forever once the work is done.
 */
import type { Writable } from 'node:stream';

const closed = new WeakSet<Writable>();
const watched = new WeakSet<Writable>();

/** Marks `stream` closed on its first error (EPIPE, EBADF...) instead of letting the error kill the process. */
export function watchOutput(stream: Writable): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', () => closed.add(stream));
}

export function isClosed(stream: Writable): boolean {
  return closed.has(stream) || stream.destroyed;
}

/** A writer that drops text once `stream` is closed. */
export function guardedWriter(stream: Writable): (text: string) => void {
  watchOutput(stream);
  return (text) => {
    if (!isClosed(stream)) stream.write(text);
  };
}

/** How long a finished CLI waits for a stuck stderr to take its last lines before it exits anyway. */
export const STDERR_GRACE_MS = 2000;

/**
 * Lets the process end with `code` once the work is done. Unfinished output on stdout (a slow reader) is waited
 * for; output stuck on stderr (nobody reading the logs) is given `graceMs` and then abandoned with process.exit.
 * The timer is unref'd: it never delays an exit that happens anyway, and anything else that keeps the process
 * alive is left as it was.
 */
export function exitWhenOutputSettles(code: number, graceMs = STDERR_GRACE_MS): void {
  const check = (): void => {
    const pending = (s: Writable): boolean => s.writableLength > 0 && !isClosed(s);
    if (!pending(process.stdout) && pending(process.stderr)) process.exit(code);
    setTimeout(check, graceMs).unref();
  };
  setTimeout(check, graceMs).unref();
}
