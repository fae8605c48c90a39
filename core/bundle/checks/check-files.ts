/**
 * File-level checks, before anything is read: the file list, containment (symlinks that lead out) and size caps.
 * The list covers every depth: it is what the digest hashes and the only files `Bundle.readFile` will open.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { resolveInside } from '../bundle-paths.js';
import type { BundleFileInfo } from '../bundle-types.js';
import { problem, problemFromError, type LintProblem } from './bundle-problem.js';

export interface ListedFiles {
  readonly files: Record<string, BundleFileInfo>;
  /** Files that escape the bundle or exceed the cap: never read. */
  readonly unreadable: ReadonlySet<string>;
  readonly problems: LintProblem[];
}

/** Regular files and symlinks at every depth (real sub-directories are walked; symlinked ones are not followed). */
export function listBundleFiles(realDir: string, maxFileBytes: number): ListedFiles {
  const files: Record<string, BundleFileInfo> = {};
  const unreadable = new Set<string>();
  const problems: LintProblem[] = [];
  for (const name of walk(realDir, '', problems)) {
    const size = sizeOf(realDir, name);
    if (typeof size !== 'number') {
      unreadable.add(name);
      files[name] = { size: lstatSync(`${realDir}/${name}`).size };
      problems.push(size);
      continue;
    }
    files[name] = { size };
    const tooLarge = sizeProblem(name, size, maxFileBytes);
    if (tooLarge) {
      unreadable.add(name);
      problems.push(tooLarge);
    }
  }
  return { files, unreadable, problems };
}

/** Size of the file (a symlink's target, which must be inside), or the problem that prevents reading it. */
function sizeOf(realDir: string, name: string): number | LintProblem {
  let path: string;
  try {
    path = resolveInside(realDir, name);
  } catch (error) {
    return problemFromError(error, name);
  }
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    return problem(
      'error',
      ErrorCodes.BUNDLE_FILE_MISSING,
      name,
      '',
      `${name} cannot be read (${why}): a dangling or looping symlink? ship the file itself`,
    );
  }
  if (stat.isFile()) return stat.size;
  const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
  return problem(
    'error',
    ErrorCodes.BUNDLE_FILE_MISSING,
    name,
    '',
    `${name} is a link to ${what}; bundle files must be regular files (or links to them), so ship the files themselves`,
  );
}

/** Names of the files under `prefix`, depth first. Fifos, sockets and devices are not files of a bundle: never listed. */
function walk(realDir: string, prefix: string, problems: LintProblem[]): string[] {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(`${realDir}/${prefix}`, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push(
      problem(
        'error',
        ErrorCodes.IO_FAILED,
        prefix,
        '',
        `directory ${prefix || '.'} of the bundle cannot be listed (${why}); check its permissions`,
      ),
    );
    return out;
  }
  for (const entry of entries) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(realDir, `${name}/`, problems));
    else if (entry.isFile() || entry.isSymbolicLink()) out.push(name);
  }
  return out;
}

export function sizeProblem(name: string, size: number, max: number): LintProblem | null {
  if (size <= max) return null;
  return problem(
    'error',
    ErrorCodes.BUNDLE_FILE_TOO_LARGE,
    name,
    '',
    `${name} is ${size} bytes, over the ${max}-byte limit; raise maxFileBytes (--max-file-bytes) if the file is trusted`,
  );
}

/** Throws BUNDLE_FILE_TOO_LARGE; used by `Bundle.readFile` right before reading. */
export function assertSize(dir: string, name: string, size: number, max: number): void {
  const p = sizeProblem(name, size, max);
  if (p)
    throw new PlannerError(ErrorCodes.BUNDLE_FILE_TOO_LARGE, `${dir}/${p.message}`, {
      context: { file: `${dir}/${name}`, size, max },
    });
}

/** A name the bundle itself mentions (metadata `files`, a weight manifest path): problem if it would escape. */
export function containmentProblem(realDir: string, name: string, file: string, pointer: string): LintProblem | null {
  try {
    resolveInside(realDir, name);
    return null;
  } catch (error) {
    return { ...problemFromError(error, file), pointer };
  }
}
