/**
 * Atomic file writes: a temp file in the same directory, written whole (every byte, or an error), fsync, rename
 * over the target, fsync the directory. A crash or a full disk at any point leaves either the old file or the new
 * one, never a truncated file (but maybe a stale temp file, which `removeStaleTemps` clears when the directory is
 * worked on again). The temp file is created exclusively, so a symlink planted under its name is never followed.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';

/** `fs.writeSync(fd, buffer, offset, length)`: the bytes written, which may be fewer than asked. */
export type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

export interface AtomicWriteHooks {
  /** Called after the temp file is durable and before the rename (tests simulate a kill here). */
  readonly beforeRename?: (tempPath: string) => void;
  /** The write system call (tests inject short writes and ENOSPC here); default `fs.writeSync`. */
  readonly write?: WriteFn;
  /**
   * false: skip the fsyncs (still whole-or-nothing for readers and for a killed process, but not across a power
   * loss); for records that only matter while the machine stays up. Default true.
   */
  readonly durable?: boolean;
}

let counter = 0;

/** `.<target name>.<pid>.<n>.tmp`: the temp files writeFileAtomic makes. */
const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;

export function writeFileAtomic(path: string, data: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeFully(fd, Buffer.from(data, 'utf8'), hooks.write ?? writeSync);
      if (hooks.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
    if (hooks.durable !== false) syncDir(dir);
  } catch (cause) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the directory itself is unusable; nothing was published
    }
    if (cause instanceof PlannerError) throw cause;
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `cannot write ${path}: ${(cause as Error).message}; check the directory's permissions and free space`,
      {
        context: { file: path },
        cause,
      },
    );
  }
}

/**
 * Writes every byte of `buffer`, looping over short writes; a write that makes no progress is an error (ENOSPC),
 * so a partly written file is never taken for a whole one.
 */
export function writeFully(fd: number, buffer: Uint8Array, write: WriteFn = writeSync): void {
  let offset = 0;
  while (offset < buffer.length) {
    const n = write(fd, buffer, offset, buffer.length - offset);
    if (!Number.isInteger(n) || n <= 0) {
      throw Object.assign(new Error(`ENOSPC: short write (${offset} of ${buffer.length} bytes written)`), {
        code: 'ENOSPC',
      });
    }
    offset += n;
  }
}

/**
 * Deletes the temp files a killed writer left in `dir` (not recursive); returns their paths. Only call it for a
 * directory no other writer is using (the workcells lock guarantees that for a workcell).
 */
export function removeStaleTemps(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    const stale = readdirSync(dir)
      .filter((f) => TEMP_FILE.test(f))
      .map((f) => join(dir, f));
    for (const file of stale) rmSync(file, { force: true });
    return stale;
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `cannot clear temp files in ${dir}: ${(cause as Error).message}; check the directory's permissions`,
      { context: { dir }, cause },
    );
  }
}

export function writeJsonAtomic(path: string, value: unknown, hooks: AtomicWriteHooks = {}): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, hooks);
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}
