/**
 * tokens.v1 hash-set tokens: the distinct `[PREFIX_b]` tokens of a list of values (b = the value's salted bucket of
 * 1024), in Python string order. The buckets are deduplicated as numbers and ordered by a rank table of their token
 * text (built once by sorting the 1024 texts in code-point order), and each token's text is built once per prefix.
 */
import { DEFAULT_BUCKETS, type HashMemo } from './hash-bucket.js';
import { compareCodePoints } from './python-strip.js';

/** Position of `[P_b]` among all 1024 such tokens in code-point order (the same for every prefix P). */
const RANK: Int32Array = (() => {
  const order = Array.from({ length: DEFAULT_BUCKETS }, (_, b) => b).sort((a, b) =>
    compareCodePoints(`${a}]`, `${b}]`),
  );
  const rank = new Int32Array(DEFAULT_BUCKETS);
  order.forEach((b, i) => (rank[b] = i));
  return rank;
})();

const texts = new Map<string, string[]>();
/** Buckets seen in the current call (cleared before it returns). */
const seen = new Uint8Array(DEFAULT_BUCKETS);

export function hashTokenSet(memo: HashMemo, prefix: string, salt: string, values: readonly string[]): string[] {
  const buckets: number[] = [];
  try {
    for (const v of values) {
      const b = memo.bucket(salt, v, DEFAULT_BUCKETS);
      if (seen[b] === 0) {
        seen[b] = 1;
        buckets.push(b);
      }
    }
  } finally {
    for (const b of buckets) seen[b] = 0;
  }
  if (buckets.length <= 16) insertionSortByRank(buckets);
  else buckets.sort(byRank);
  let known = texts.get(prefix);
  if (known === undefined) texts.set(prefix, (known = []));
  const out: string[] = new Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) out[i] = known[buckets[i]] ??= `[${prefix}_${buckets[i]}]`;
  return out;
}

function byRank(a: number, b: number): number {
  return RANK[a] - RANK[b];
}

/** Short lists (the usual case) sort faster in place than through `Array.prototype.sort` with a comparator. */
function insertionSortByRank(xs: number[]): void {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    while (j >= 0 && RANK[xs[j]] > RANK[x]) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = x;
  }
}
