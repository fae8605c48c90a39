/**
 * The only way plugins reach a bundle's files: `resolve`, `has` and `readFile` accept exactly the files of the checked
 * listing (`checks/check-files.ts`), which is also what the digest hashes. A name the listing lacks (a file added
 * after the checks, a fifo, a path through a symlinked directory) is refused, so nothing unhashed reaches a backend.
 * When the digest was checked, `readFile` also re-hashes what it read: a file swapped after the check is refused.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';
import { resolveInside } from './bundle-paths.js';
import type { Bundle, BundleFileInfo } from './bundle-types.js';
import { assertSize } from './checks/check-files.js';

export interface BundleReaderSource {
  readonly dir: string;
  readonly files: Readonly<Record<string, BundleFileInfo>>;
  readonly maxFileBytes: number;
  /** sha256 of every listed file, when the digest was checked (trustedDigests / expectSha256); else null. */
  readonly fileHashes: Readonly<Record<string, string>> | null;
}

export type BundleReader = Pick<Bundle, 'resolve' | 'has' | 'readFile'>;

/** The listing's name for `name` (`./a//b` → `a/b`); containment is checked separately by `resolveInside`. */
export function listedName(name: string): string {
  return posix.normalize(name).replace(/^(\.\/)+/, '');
}

export function createBundleReader(source: BundleReaderSource): BundleReader {
  const { dir, files, maxFileBytes, fileHashes } = source;
  const isListed = (name: string): boolean => Object.prototype.hasOwnProperty.call(files, name);
  const resolve = (name: string): string => {
    const path = resolveInside(dir, name); // BUNDLE_PATH_ESCAPE first: an escape is the worse defect
    const listed = listedName(name);
    if (!isListed(listed)) throw notListed(dir, name);
    return path;
  };
  return {
    resolve,
    has: (name) => typeof name === 'string' && isListed(listedName(name)),
    readFile: async (name) => {
      const path = resolve(name);
      const listed = listedName(name);
      const bytes = await readListed(dir, path, listed, maxFileBytes);
      const pinned = fileHashes?.[listed];
      if (pinned !== undefined && createHash('sha256').update(bytes).digest('hex') !== pinned)
        throw changedSinceCheck(dir, listed);
      return bytes;
    },
  };
}

/** Size check right before reading (the file may have grown), then the read; IO failures keep a code. */
async function readListed(dir: string, path: string, name: string, maxFileBytes: number): Promise<Buffer> {
  try {
    assertSize(dir, name, statSync(path).size, maxFileBytes);
    return await readFile(path);
  } catch (error) {
    if (error instanceof PlannerError) throw error;
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `bundle ${dir}: "${name}" cannot be read (${why}); it was listed when the bundle was checked, so check whether it was removed or its permissions changed`,
      {
        context: { bundle: dir, file: name },
        cause: error,
      },
    );
  }
}

function notListed(dir: string, name: string): PlannerError {
  const message = `bundle ${dir}: "${name}" is not a file of the bundle (not in its checked listing: absent, added after the checks, or reached through a symlinked directory); ship it as a regular file inside the bundle`;
  return new PlannerError(ErrorCodes.BUNDLE_FILE_MISSING, message, { context: { bundle: dir, file: name } });
}

function changedSinceCheck(dir: string, name: string): PlannerError {
  const message = `bundle ${dir}: "${name}" changed after the bundle digest was checked; the bytes read are not the trusted ones, so reload the bundle from a trusted copy`;
  return new PlannerError(ErrorCodes.BUNDLE_UNTRUSTED, message, { context: { bundle: dir, file: name } });
}
