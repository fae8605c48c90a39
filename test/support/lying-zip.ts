/** Hostile zip archives built in code: a few bytes whose end records lie about what the archive holds. */

/** A tiny archive: a local-header magic, then end records that declare `entries` entries at `offset`. */
export function lyingArchive(entries: number, offset: number, zip64: boolean): Uint8Array {
  const parts: number[] = [0x50, 0x4b, 0x03, 0x04, ...new Array(26).fill(0)];
  const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => Math.floor(n / 256 ** i) % 256);
  if (zip64) {
    const at = parts.length;
    parts.push(...le(0x06064b50, 4), ...le(44, 8), ...le(45, 2), ...le(45, 2), ...le(0, 4), ...le(0, 4));
    parts.push(...le(entries, 8), ...le(entries, 8), ...le(entries * 46, 8), ...le(offset, 8));
    parts.push(...le(0x07064b50, 4), ...le(0, 4), ...le(at, 8), ...le(1, 4));
    parts.push(
      ...le(0x06054b50, 4),
      ...le(0, 4),
      ...le(0xffff, 2),
      ...le(0xffff, 2),
      ...le(0xffffffff, 4),
      ...le(0xffffffff, 4),
      ...le(0, 2),
    );
  } else {
    parts.push(
      ...le(0x06054b50, 4),
      ...le(0, 4),
      ...le(entries, 2),
      ...le(entries, 2),
      ...le(entries * 46, 4),
      ...le(offset, 4),
      ...le(0, 2),
    );
  }
  return Uint8Array.from(parts);
}
