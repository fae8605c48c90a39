/** metadata.json: present (else a warning), per-file checksums listed (else a warning) and matching the files. */
import { ErrorCodes } from '../../errors.js';
import { pointerSegment } from '../json-positions.js';
import { problem, type LintProblem } from './bundle-problem.js';
import type { FileHasher } from './bundle-digest.js';
import { containmentProblem, type ListedFiles } from './check-files.js';

interface FileEntry {
  readonly sha256?: unknown;
  readonly size?: unknown;
}

export async function metadataProblems(
  realDir: string,
  json: Readonly<Record<string, unknown>>,
  listed: ListedFiles,
  hasher: FileHasher,
): Promise<LintProblem[]> {
  const meta = json['metadata.json'];
  if (meta === undefined) {
    const why = listed.files['metadata.json'] ? 'could not be read' : 'is missing';
    return [
      problem(
        'warning',
        ErrorCodes.BUNDLE_METADATA_MISSING,
        'metadata.json',
        '',
        `metadata.json ${why}: the bundle has no name, version or checksums; add a cyntra.model_bundle.v1 metadata.json`,
      ),
    ];
  }
  const files = typeof meta === 'object' && meta !== null ? (meta as { files?: unknown }).files : undefined;
  if (typeof files !== 'object' || files === null || Array.isArray(files) || Object.keys(files).length === 0) {
    return [
      problem(
        'warning',
        ErrorCodes.BUNDLE_CHECKSUMS_MISSING,
        'metadata.json',
        '',
        'metadata.json lists no "files" checksums: corruption cannot be detected; add {name: {sha256, size}} per file',
      ),
    ];
  }
  const out: LintProblem[] = [];
  for (const [name, entry] of Object.entries(files as Record<string, FileEntry>)) {
    out.push(...(await entryProblems(realDir, name, entry, listed, hasher)));
  }
  return out;
}

async function entryProblems(
  realDir: string,
  name: string,
  entry: FileEntry,
  listed: ListedFiles,
  hasher: FileHasher,
): Promise<LintProblem[]> {
  const pointer = `/files/${pointerSegment(name)}`;
  const escape = containmentProblem(realDir, name, 'metadata.json', pointer);
  if (escape) return [escape];
  const info = listed.files[name];
  if (!info)
    return [
      problem(
        'error',
        ErrorCodes.BUNDLE_FILE_MISSING,
        'metadata.json',
        pointer,
        `metadata.json lists "${name}", which is not in the bundle; ship the file or remove the entry`,
      ),
    ];
  if (listed.unreadable.has(name) || typeof entry !== 'object' || entry === null) return [];
  if (typeof entry.size === 'number' && entry.size !== info.size) {
    return [
      problem(
        'error',
        ErrorCodes.BUNDLE_CHECKSUM_MISMATCH,
        'metadata.json',
        `${pointer}/size`,
        `"${name}" is ${info.size} bytes, metadata.json says ${entry.size}; the file is truncated or replaced`,
      ),
    ];
  }
  if (typeof entry.sha256 !== 'string') return [];
  const actual = await hasher.sha256(name).catch((error: NodeJS.ErrnoException) => error);
  if (typeof actual !== 'string')
    return [
      problem(
        'error',
        ErrorCodes.IO_FAILED,
        name,
        '',
        `${name} cannot be read to check its sha256 (${actual.code ?? actual.message})`,
      ),
    ];
  if (actual === entry.sha256.toLowerCase()) return [];
  return [
    problem(
      'error',
      ErrorCodes.BUNDLE_CHECKSUM_MISMATCH,
      'metadata.json',
      `${pointer}/sha256`,
      `sha256 of "${name}" is ${actual}, metadata.json says ${entry.sha256}; the file is corrupt or replaced`,
    ),
  ];
}
