/**
 * The salted bucket hash both encoders share (reference §3.A):
 * `bucket(salt, value, n) = uint64_be(SHA256(utf8(salt + ":" + value))[0..8]) mod n`.
 * Lone surrogates are UTF-8 encoded as U+FFFD (WHATWG / Node `Buffer` behaviour; Python would raise instead).
 */
import { createHash } from 'node:crypto';

export const DEFAULT_BUCKETS = 1024;

export function hashBucket(salt: string, value: string, buckets: number = DEFAULT_BUCKETS): number {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 2 ** 40)
    throw new RangeError(`buckets must be an integer in [1, 2^40], got ${buckets}`);
  const d = createHash('sha256').update(`${salt}:${value}`, 'utf8').digest();
  if (buckets === 1024) return ((d[6] & 3) << 8) | d[7];
  let r = 0;
  for (let i = 0; i < 8; i++) r = (r * 256 + d[i]) % buckets;
  return r;
}

/** A bounded memo of `hashBucket`, so one batch (or one encoder's lifetime) hashes each distinct value once. */
export interface HashMemo {
  bucket(salt: string, value: string, buckets?: number): number;
  readonly size: number;
}

export function createHashMemo(maxEntries = 8192): HashMemo {
  // buckets → salt → value: no key string is built per lookup (the values are the input's own strings)
  const cache = new Map<number, Map<string, Map<string, number>>>();
  let size = 0;
  // the table of the previous call: the encoders ask for runs of values under one salt (tags, fail codes)
  let lastSalt = '';
  let lastBuckets = -1;
  let lastTable: Map<string, number> | null = null;
  const table = (salt: string, buckets: number): Map<string, number> => {
    if (lastTable !== null && salt === lastSalt && buckets === lastBuckets) return lastTable;
    let bySalt = cache.get(buckets);
    if (bySalt === undefined) cache.set(buckets, (bySalt = new Map()));
    let byValue = bySalt.get(salt);
    if (byValue === undefined) bySalt.set(salt, (byValue = new Map()));
    lastSalt = salt;
    lastBuckets = buckets;
    return (lastTable = byValue);
  };
  return {
    bucket(salt, value, buckets = DEFAULT_BUCKETS) {
      const byValue = table(salt, buckets);
      const hit = byValue.get(value);
      if (hit !== undefined) return hit;
      const b = hashBucket(salt, value, buckets);
      if (value.length <= 256) {
        if (size >= maxEntries) {
          for (const bySalt of cache.values()) for (const m of bySalt.values()) m.clear();
          size = 0;
        }
        byValue.set(value, b);
        size++;
      }
      return b;
    },
    get size() {
      return size;
    },
  };
}
