/**
 * The bundle digest (docs/bundle-digest.md): sha256 over the sorted lines `name\0sha256(file)\n` of every file in the
 * bundle. What an operator pins (`--expect-sha256`, `trustedDigests`); a bundle's own metadata never vouches for it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of each file, computed at most once. */
export class FileHasher {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly realDir: string) {}

  sha256(name: string): Promise<string> {
    let pending = this.cache.get(name);
    if (!pending) {
      pending = hashFile(`${this.realDir}/${name}`);
      this.cache.set(name, pending);
    }
    return pending;
  }
}

/** `names` are bundle-relative with `/` separators; sorted here by their UTF-8 bytes (as `LC_ALL=C sort`). */
export async function bundleDigest(names: readonly string[], hasher: FileHasher): Promise<string> {
  const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const h = createHash('sha256');
  for (const name of sorted) h.update(`${name}\0${await hasher.sha256(name)}\n`, 'utf8');
  return h.digest('hex');
}

/** Streams the file through sha256 (a 200 MB model is never held in memory). */
async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
