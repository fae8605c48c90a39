/**
 * Atomic file writes: a temp file in the same directory, fsync, rename over the target, fsync the directory.
 * A crash at any point leaves either the old file or the new one, never a truncated file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';

export interface AtomicWriteHooks {
  /** Called after the temp file is durable and before the rename (tests simulate a kill here). */
  readonly beforeRename?: (tempPath: string) => void;
}

let counter = 0;

export function writeFileAtomic(path: string, data: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
    syncDir(dir);
  } catch (cause) {
    if (cause instanceof PlannerError) throw cause;
    try {
      rmSync(temp, { force: true });
    } catch {
      // the directory itself is unusable; nothing was written
    }
    throw new PlannerError(ErrorCodes.IO_FAILED, `cannot write ${path}: ${(cause as Error).message}; check the directory's permissions and free space`, {
      context: { file: path },
      cause,
    });
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
