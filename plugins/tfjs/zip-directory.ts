/**
 * Reads a zip archive's end-of-central-directory record (and its ZIP64 variant) and checks the declared entry count
 * and central-directory offset against the file itself, before any reader walks the entries: a 128-byte file that
 * claims 4 billion entries is refused at once instead of being walked entry by entry.
 */
import { PlannerError } from '../../core/errors.js';

export interface ZipDirectory {
  readonly entries: number;
  readonly offset: number;
  readonly zip64: boolean;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
/** Fixed part of one central-directory entry: no entry can take fewer bytes. */
export const MIN_CENTRAL_ENTRY_BYTES = 46;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x100000000;
}

function corrupt(where: string, what: string): PlannerError {
  return new PlannerError('ZIP_CORRUPT', `${where}: not a readable zip archive (${what}); re-save the checkpoint`, {
    context: { file: where },
  });
}

function findEnd(bytes: Uint8Array, where: string): number {
  const last = bytes.length - EOCD_BYTES;
  for (let e = last; e >= 0 && last - e <= MAX_COMMENT; e--) if (u32(bytes, e) === EOCD_SIG) return e;
  throw corrupt(where, 'no end-of-central-directory record');
}

/** The declared directory, checked: entries fit the limit, and the directory fits between its offset and the end record. */
export function readZipDirectory(bytes: Uint8Array, where: string, maxEntries: number): ZipDirectory {
  const e = findEnd(bytes, where);
  let entries = u16(bytes, e + 8);
  let offset = u32(bytes, e + 16);
  let end = e;
  let zip64 = false;
  if (e >= 20 && u32(bytes, e - 20) === ZIP64_LOCATOR_SIG) {
    const at = u64(bytes, e - 12);
    if (at + 56 > e) throw corrupt(where, `the ZIP64 end record offset ${at} lies outside the file`);
    if (u32(bytes, at) === ZIP64_EOCD_SIG) {
      entries = u64(bytes, at + 32);
      offset = u64(bytes, at + 48);
      end = at;
      zip64 = true;
    }
  }
  if (entries > maxEntries) {
    throw new PlannerError(
      'ZIP_TOO_LARGE',
      `${where}: the archive declares ${entries} entries, more than the ${maxEntries} accepted; refusing to read it`,
      {
        context: { file: where, entries },
      },
    );
  }
  if (offset + entries * MIN_CENTRAL_ENTRY_BYTES > end) {
    throw corrupt(
      where,
      `its directory of ${entries} entries at offset ${offset} does not fit in the ${bytes.length}-byte file`,
    );
  }
  return { entries, offset, zip64 };
}
