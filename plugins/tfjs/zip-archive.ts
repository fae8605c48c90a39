/**
 * Reads a zip archive (a torch checkpoint) with fflate, bounded: the declared entry count and directory offset are
 * checked against the file first (zip-directory.ts), too many entries or inflated bytes are refused before anything
 * is allocated for them (the walk stops at the first excess), and a corrupt archive becomes a coded error.
 */
import { unzipSync } from 'fflate';
import { PlannerError } from '../../core/errors.js';
import { readZipDirectory } from './zip-directory.js';

export interface ZipLimits {
  /** Largest total of uncompressed bytes accepted. */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 512 * 1024 * 1024, maxEntries: 100_000 };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Every file entry of the archive by name. `where` names the file in messages. */
export function readZip(
  bytes: Uint8Array,
  where: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Map<string, Uint8Array> {
  let entries = 0;
  let total = 0;
  let refused: PlannerError | undefined;
  let files: Record<string, Uint8Array>;
  readZipDirectory(bytes, where, limits.maxEntries);
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        entries += 1;
        total += file.originalSize;
        if (!refused && (entries > limits.maxEntries || total > limits.maxTotalBytes)) {
          refused = new PlannerError(
            'ZIP_TOO_LARGE',
            `${where}: the archive holds more than ${limits.maxEntries} entries or ${limits.maxTotalBytes} bytes; refusing to inflate it`,
            {
              context: { file: where, entries, bytes: total },
            },
          );
          throw refused; // stops fflate's walk at once
        }
        return !file.name.endsWith('/');
      },
    });
  } catch (cause) {
    if (refused) throw refused;
    throw new PlannerError(
      'ZIP_CORRUPT',
      `${where}: not a readable zip archive (${(cause as Error).message}); re-save the checkpoint`,
      {
        context: { file: where },
        cause,
      },
    );
  }
  if (refused) throw refused;
  return new Map(Object.entries(files));
}
