/** tokens.v1 hot paths against the straightforward forms they replaced: hash-set tokens and keyword extraction. */
import { describe, expect, it } from 'vitest';
import { createHashMemo, hashBucket } from '../../core/encoders/hash-bucket.js';
import { hashTokenSet } from '../../core/encoders/hash-token-set.js';
import { extractKeywords, KEYWORD_STOPWORDS } from '../../core/encoders/keywords.js';
import { compareCodePoints } from '../../core/encoders/python-strip.js';
import { Prng } from '../support/fuzz-prng.js';

const hashSetReference = (prefix: string, salt: string, values: readonly string[]): string[] =>
  Array.from(new Set(values.map((v) => `[${prefix}_${hashBucket(salt, v)}]`))).sort(compareCodePoints);

function keywordsReference(text: string, n: number): string[] {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/[A-Za-z0-9_]{3,}/g)) {
    const w = m[0].toLowerCase();
    if (!KEYWORD_STOPWORDS.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return Array.from(counts.entries())
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([w]) => w);
}

describe('tokens.v1 fast paths equal their reference versions', () => {
  it('hash-set tokens: distinct, in code-point order of their text, for every prefix and list size', () => {
    const rand = new Prng(1024);
    const memo = createHashMemo(64); // small: clears along the way
    const prefixes: [string, string][] = [
      ['TAG_HASH', 'tag'],
      ['KW_HASH', 'kw'],
      ['FAIL_HASH', 'fail'],
      ['GATE_HASH', 'gate'],
    ];
    for (let n = 0; n < 1500; n++) {
      const [prefix, salt] = rand.pick(prefixes);
      const size = rand.int(n % 50 === 0 ? 3000 : 12);
      const values = Array.from({ length: size }, () => (rand.chance(0.3) ? `v${rand.int(20)}` : rand.text(4)));
      expect(hashTokenSet(memo, prefix, salt, values)).toEqual(hashSetReference(prefix, salt, values));
    }
  });

  it('keywords: the exec loop finds what matchAll finds, also when called again mid-way through other text', () => {
    const rand = new Prng(3);
    const words = [
      'the',
      'Fix',
      'render',
      'RENDER',
      'ab',
      'abc',
      'x_y_z',
      'lighting',
      'é',
      '日本',
      '12',
      '123',
      'abc1',
    ];
    for (let n = 0; n < 1000; n++) {
      const text = Array.from({ length: rand.int(30) }, () => rand.pick(words)).join(rand.pick([' ', '-', '', '\n']));
      const k = 1 + rand.int(20);
      expect(extractKeywords(text, k)).toEqual(keywordsReference(text, k));
    }
  });
});
