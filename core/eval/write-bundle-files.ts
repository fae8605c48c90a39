/**
 * Writes changed files of a bundle without ever leaving a half-written bundle:
 * - `out`: the bundle is copied to `<out>.partial-<pid>`, the files written there, and the copy renamed to `out`
 *   (which must not exist yet); on failure the partial copy is removed.
 * - in place: the files about to be replaced are first copied to a sibling `<dir>.calibrate-backup-<time>/`, then
 *   each file is replaced atomically (temp file + rename).
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export type WriteTarget = { readonly out: string } | { readonly inPlace: true };

export interface WrittenBundle {
  readonly dir: string;
  /** In place only: where the replaced files were saved. */
  readonly backupDir: string | null;
}

export function writeBundleFiles(
  source: string,
  target: WriteTarget,
  files: Readonly<Record<string, string>>,
  now = new Date(),
): WrittenBundle {
  return 'out' in target ? writeCopy(source, target.out, files) : writeInPlace(source, files, now);
}

function writeCopy(source: string, out: string, files: Readonly<Record<string, string>>): WrittenBundle {
  if (existsSync(out)) {
    throw new PlannerError(
      ErrorCodes.USAGE,
      `calibrate: --out ${out} already exists; name a new directory, or use --in-place to change the bundle itself`,
      { context: { file: out } },
    );
  }
  const partial = `${out}.partial-${process.pid}`;
  try {
    rmSync(partial, { recursive: true, force: true });
    cpSync(source, partial, { recursive: true, verbatimSymlinks: true });
    for (const [name, text] of Object.entries(files)) writeFileAtomic(join(partial, name), text);
    renameSync(partial, out);
  } catch (cause) {
    rmSync(partial, { recursive: true, force: true });
    if (cause instanceof PlannerError) throw cause;
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `calibrate: cannot write the calibrated bundle to ${out}: ${(cause as Error).message}; nothing was written`,
      { context: { file: out }, cause },
    );
  }
  return { dir: out, backupDir: null };
}

function writeInPlace(dir: string, files: Readonly<Record<string, string>>, now: Date): WrittenBundle {
  const stamp = `${dir}.calibrate-backup-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
  let backupDir = stamp;
  // Never reuse a backup directory: a second run in the same second must not overwrite the first one's originals.
  for (let n = 2; existsSync(backupDir); n++) backupDir = `${stamp}-${n}`;
  try {
    mkdirSync(backupDir, { recursive: true });
    for (const name of Object.keys(files))
      if (existsSync(join(dir, name))) cpSync(join(dir, name), join(backupDir, name));
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `calibrate: cannot back up ${dir} to ${backupDir}: ${(cause as Error).message}; the bundle was not changed`,
      { context: { file: backupDir }, cause },
    );
  }
  for (const [name, text] of Object.entries(files)) writeFileAtomic(join(dir, name), text);
  return { dir, backupDir };
}
