/**
 * Reads a file named by the user (CLI inputs, the issue queue), bounded: a directory, a missing file or anything over the cap (a huge
 * file, `/dev/zero`, an endless pipe) is INPUT_INVALID (exit 2) after reading at most cap + 1 bytes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCodes, PlannerError } from './errors.js';

/** Largest `--input` / `--features` / `--universe` file (and issue `*.json` file) read: 16 MiB (a planner input is a few KB). */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** Largest JSONL issue queue read: 64 MiB. */
export const MAX_ISSUE_QUEUE_BYTES = 64 * 1024 * 1024;

const CHUNK = 64 * 1024;

function fail(path: string, why: string, cause?: unknown): PlannerError {
  return new PlannerError(ErrorCodes.INPUT_INVALID, `${path}: ${why}`, { context: { file: path }, cause });
}

export function readInputFile(path: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw fail(path, `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause}); check the path`, cause);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw fail(path, 'is a directory; pass a file');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes)
        throw fail(path, `the file is larger than the ${maxBytes}-byte input limit; pass a smaller file`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (cause) {
    if (cause instanceof PlannerError) throw cause;
    throw fail(path, `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause}); check the path`, cause);
  } finally {
    closeSync(fd);
  }
}
