/** The fast canonical writer (one recursive pass, cached key text) must equal the reference writer on every input. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalJsonSlow, compareCodePoints, inputHash } from '../../core/canonical-json.js';
import { mulberry32 } from '../../fixtures/tools/onnx-fixture-models.js';

const inputsDir = join(import.meta.dirname, '..', '..', 'fixtures', 'encoders', 'inputs');

const NUMBERS = [
  0,
  -0,
  1,
  -7,
  0.1,
  1e-4,
  9.99e-5,
  1e-5,
  2.5e-7,
  123456.789,
  1e15,
  1e16,
  9007199254740993,
  1e21,
  1.5e300,
  NaN,
  Infinity,
  -Infinity,
];
const KEYS = ['a', 'b', 'B', '_x', 'é', 'ß', '\uFB01', '😀', '\uFFFD', '10', '9', '0', 'a b', ''];
const STRINGS = [
  '',
  'plain',
  'é',
  'line\nbreak',
  'quote"',
  'tab\t',
  '\u0001',
  '😀',
  '\uD800',
  '\u2028',
  'back\\slash',
  'del\u007f',
  '~',
  'x'.repeat(64),
  `${'y'.repeat(64)}"`,
  `${'z'.repeat(80)}é`,
];

function randomValue(rnd: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = rnd();
  if (depth > 3 || r < 0.35) return pick<unknown>([...NUMBERS, ...STRINGS, true, false, null]);
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--)
    obj[pick(KEYS)] = rnd() < 0.1 ? undefined : randomValue(rnd, depth + 1);
  return obj;
}

describe('canonical JSON', () => {
  it('fast and reference writers agree on the encoder fixtures', () => {
    for (const file of readdirSync(inputsDir)) {
      const value = JSON.parse(readFileSync(join(inputsDir, file), 'utf8'));
      expect(canonicalJson(value), file).toBe(canonicalJsonSlow(value));
    }
  });

  it('fast and reference writers agree on 5000 random documents with awkward numbers, keys and strings', () => {
    const rnd = mulberry32(424242);
    for (let i = 0; i < 5000; i++) {
      const value = { k: randomValue(rnd, 0) };
      expect(canonicalJson(value)).toBe(canonicalJsonSlow(value));
    }
  });

  it('sorts keys by code point, as Python does, not by UTF-16 unit', () => {
    expect(canonicalJson({ '\uFB01': 1, '😀': 2 })).toBe('{"ﬁ":1,"😀":2}');
    expect(['😀', '\uFB01', 'a'].sort(compareCodePoints)).toEqual(['a', '\uFB01', '😀']);
    expect(canonicalJson({ '9': 1, '10': 2 })).toBe('{"10":2,"9":1}');
  });

  it('reuses a key order only for the same keys (same first key, other keys; same keys, other order)', () => {
    const docs = [
      { z: 1, a: 2, m: 3 },
      { z: 1, a: 2, b: 3 },
      { z: 1, a: 2, m: 3, b: 4 },
      { a: 2, z: 1, m: 3 },
      { z: 1, m: 3, a: 2 },
      { z: 1, a: 2, m: 3 },
    ];
    for (let round = 0; round < 3; round++) for (const d of docs) expect(canonicalJson(d)).toBe(canonicalJsonSlow(d));
    const grown: Record<string, number> = { z: 1, a: 2 };
    expect(canonicalJson(grown)).toBe('{"a":2,"z":1}');
    grown.b = 3;
    expect(canonicalJson(grown)).toBe('{"a":2,"b":3,"z":1}');
  });

  it('input_hash leaves out the root created_at only, on the fast and the reference path alike', () => {
    const rnd = mulberry32(1919);
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    for (let i = 0; i < 2000; i++) {
      const doc: Record<string, unknown> = { k: randomValue(rnd, 0), nested: { created_at: 'kept' } };
      if (rnd() < 0.7) doc.created_at = randomValue(rnd, 2);
      if (rnd() < 0.2) doc.z = randomValue(rnd, 0);
      const { created_at: _c, ...rest } = doc;
      expect(inputHash(doc)).toBe(sha(canonicalJsonSlow(rest)));
    }
    class WithToJson {
      a = 1;
      created_at = 'x';
      toJSON() {
        return 'ignored';
      }
    }
    expect(inputHash(new WithToJson() as unknown as Record<string, unknown>)).toBe(sha('{"a":1}'));
  });
});
