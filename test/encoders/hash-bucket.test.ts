import { describe, expect, it } from 'vitest';
import { createHashMemo, hashBucket } from '../../core/encoders/hash-bucket.js';

// Reference §3.A worked buckets (literal values from the document).
const WORKED: [string, string, number][] = [
  ['tag', 'a', 208],
  ['tag', 'b', 845],
  ['tag', 'kernel', 680],
  ['tag', 'gate:test', 683],
  ['tag', 'dk:example', 409],
  ['tag', 'asset:world', 329],
  ['kw', 'walkable', 279],
  ['kw', 'library', 768],
  ['kw', 'realism_perf_v1', 242],
  ['kw', 'test', 349],
  ['kw', 'issue', 596],
  ['fail', 'lint', 294],
  ['fail', 'stage_failed:render', 954],
  ['gate', 'pytest', 123],
  ['gate', 'test', 92],
  ['gate', 'lint', 554],
];

describe('hashBucket', () => {
  it.each(WORKED)('%s:%s → %i (reference worked buckets)', (salt, value, bucket) => {
    expect(hashBucket(salt, value)).toBe(bucket);
    expect(hashBucket(salt, value, 1024)).toBe(bucket);
  });

  it('handles other moduli exactly (uint64 mod n; values computed independently with Python hashlib)', () => {
    expect(hashBucket('tool_hint', 'codex', 10)).toBe(8);
    expect(hashBucket('objective', 'realism_perf_v1', 10)).toBe(4);
    expect(hashBucket('fail', 'lint', 256)).toBe(38);
    expect(hashBucket('fail', 'stage_failed:render', 256)).toBe(186);
    expect(hashBucket('kw', 'x', 7)).toBe(6);
    expect(hashBucket('gate', 'pytest', 1000003)).toBe(149275);
  });

  it('hashes UTF-8 (astral characters) and encodes lone surrogates as U+FFFD', () => {
    expect(hashBucket('tag', '\u{1F600}')).toBe(312);
    expect(hashBucket('tag', '\uD800')).toBe(233);
    expect(hashBucket('tag', '\uFFFD')).toBe(233);
  });

  it('memo returns the same buckets and stays bounded', () => {
    const memo = createHashMemo(4);
    for (const [salt, value, bucket] of WORKED) expect(memo.bucket(salt, value)).toBe(bucket);
    expect(memo.size).toBeLessThanOrEqual(4);
    expect(memo.bucket('tool_hint', 'codex', 10)).toBe(8);
    expect(memo.bucket('tool_hint', 'codex', 10)).toBe(8);
  });

  it('memo agrees with hashBucket across salts and bucket counts, through many clears of a small memo', () => {
    const memo = createHashMemo(5);
    const salts = ['tag', 'fail', 'kw', 'tool_hint'];
    const counts = [1024, 256, 10, 1024, 7];
    for (let i = 0; i < 600; i++) {
      const salt = salts[(i * 7) % salts.length];
      const buckets = counts[(i * 3) % counts.length];
      const value = `v${(i * 13) % 17}`;
      expect(memo.bucket(salt, value, buckets), `${salt} ${value} ${buckets}`).toBe(hashBucket(salt, value, buckets));
      expect(memo.size).toBeLessThanOrEqual(5);
    }
  });
});
