/**
 * Atomic file writes: a temp file in the same directory, fsync, rename over the target, fsync the directory.
 * A crash at any point leaves either the old file or the new one, never a truncated file (but maybe a stale temp
 * file, which `removeStaleTemps` clears when the directory is worked on again).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';

export interface AtomicWriteHooks {
  /** Called after the temp file is durable and before the rename (tests simulate a kill here). */
  readonly beforeRename?: (tempPath: string) => void;
}

let counter = 0;

/** `.<target name>.<pid>.<n>.tmp`: the temp files writeFileAtomic makes. */
const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;

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

/**
 * Deletes the temp files a killed writer left in `dir` (not recursive); returns their paths. Only call it for a
 * directory no other writer is using.
 */
export function removeStaleTemps(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    const stale = readdirSync(dir).filter((f) => TEMP_FILE.test(f)).map((f) => join(dir, f));
    for (const file of stale) rmSync(file, { force: true });
    return stale;
  } catch (cause) {
    throw new PlannerError(ErrorCodes.IO_FAILED, `cannot clear temp files in ${dir}: ${(cause as Error).message}; check the directory's permissions`, { context: { dir }, cause });
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
