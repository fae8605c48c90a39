/**
 * The byte writer behind `input_hash` (core/canonical-bytes.ts) must write exactly the UTF-8 of the reference text
 * writer, or hand the value back (null) so that the text writers hash it instead.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalSha256Hex } from '../../core/canonical-bytes.js';
import { canonicalJsonSlow, inputHash } from '../../core/canonical-json.js';
import { realisticInput } from '../../bench/encode-bench.js';
import { Prng } from '../support/fuzz-prng.js';

interface Golden {
  readonly name: string;
  readonly input: string;
  readonly python: string;
  readonly js_expected?: string;
}

const inputsDir = join(import.meta.dirname, '..', '..', 'fixtures', 'encoders', 'inputs');
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The reference text of `obj` without `skip`, as UTF-8. */
function reference(obj: Record<string, unknown>, skip?: string): Buffer {
  const copy = { ...obj };
  if (skip !== undefined) delete copy[skip];
  return utf8(canonicalJsonSlow(copy));
}

const INTEGERS = [0, -0, 7, -7, 9, 10, 99_999_999, 100_000_000, 100_000_001, -100_000_000, 1_768_446_000_000];
const BIG = [2 ** 31, 2 ** 32 + 1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 53 + 2, 9_999_999_999_999_998];
const FLOATS = [0.1, 0.15000000000000002, 1e-4, 9.99e-5, 123456.789, 1e15 + 0.5, 1e16, 1e21, -2.5e-7, NaN, Infinity];
const STRINGS = ['', 'plain', 'é', 'line\nbreak', 'quote"', 'back\\slash', '\u0001', '\u007f', '😀', '\ud800', '日本'];
const KEYS = ['a', 'b', 'B', '_x', 'é', '\uFB01', '😀', '10', '9', '', 'a key that is longer than most keys are'];

function randomValue(rand: Prng, depth: number): unknown {
  const r = rand.next();
  if (depth > 3 || r < 0.4) {
    return rand.pick<unknown>([
      ...INTEGERS,
      ...BIG,
      ...FLOATS,
      ...STRINGS,
      rand.text(rand.int(90)),
      rand.int(2 ** 30) * rand.int(2 ** 23) * (rand.chance(0.5) ? -1 : 1),
      true,
      false,
      null,
    ]);
  }
  if (r < 0.6) return Array.from({ length: rand.int(5) }, () => randomValue(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = rand.int(6); i > 0; i--)
    obj[rand.pick(KEYS)] = rand.chance(0.1) ? undefined : randomValue(rand, depth + 1);
  return obj;
}

describe('canonical JSON bytes', () => {
  it('equal the reference text on realistic planner inputs and the encoder fixtures (never handed back)', () => {
    const docs: Record<string, unknown>[] = Array.from({ length: 16 }, (_, i) => realisticInput(i) as never);
    for (const file of readdirSync(inputsDir)) docs.push(JSON.parse(readFileSync(join(inputsDir, file), 'utf8')));
    for (const doc of docs) {
      const bytes = canonicalBytes(doc, 'created_at');
      expect(bytes).not.toBeNull();
      expect(Buffer.from(bytes!).equals(reference(doc, 'created_at'))).toBe(true);
      expect(inputHash(doc)).toBe(sha(canonicalJsonSlow({ ...doc, created_at: undefined })));
    }
  });

  it("equal Python's own text on the canonical-JSON goldens (object roots)", () => {
    const file = join(import.meta.dirname, '..', '..', 'fixtures', 'canonical-json', 'goldens.json');
    const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Golden[] }).cases;
    let objects = 0;
    for (const g of cases) {
      const value: unknown = JSON.parse(g.input);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      objects++;
      const bytes = canonicalBytes(value as Record<string, unknown>);
      if (bytes !== null) expect(Buffer.from(bytes).toString('utf8'), g.name).toBe(g.js_expected ?? g.python);
    }
    expect(objects).toBeGreaterThan(3);
  });

  it('equal the reference text on 5000 random documents, or are handed back (null)', () => {
    const rand = new Prng(1919);
    let written = 0;
    for (let i = 0; i < 5000; i++) {
      const doc = { k: randomValue(rand, 0), created_at: 'x', z: randomValue(rand, 1) };
      const bytes = canonicalBytes(doc, 'created_at');
      if (bytes !== null) {
        written++;
        expect(Buffer.from(bytes).toString('utf8')).toBe(reference(doc, 'created_at').toString('utf8'));
      }
      expect(inputHash(doc)).toBe(sha(canonicalJsonSlow({ k: doc.k, z: doc.z })));
    }
    expect(written).toBeGreaterThan(1000); // the fast path is taken, not only the fallback
  });

  it('write integers digit by digit exactly as String does, around every boundary of the digit loops', () => {
    const rand = new Prng(53);
    const values = [...INTEGERS, ...BIG];
    for (let i = 0; i < 3000; i++) {
      const digits = 1 + rand.int(16);
      values.push(Math.floor(rand.next() * 10 ** digits) * (rand.chance(0.3) ? -1 : 1));
      values.push(10 ** (digits - 1) - 1, 10 ** (digits - 1));
    }
    for (const n of values) {
      if (!Number.isSafeInteger(n)) continue;
      expect(Buffer.from(canonicalBytes({ n })!).toString('latin1')).toBe(`{"n":${String(n)}}`);
    }
  });

  it('grow the buffer for a large document and keep working for small ones afterwards', () => {
    const big = { items: Array.from({ length: 20_000 }, (_, i) => ({ id: `item-${i}`, text: 'é'.repeat(i % 50) })) };
    expect(Buffer.from(canonicalBytes(big)!).equals(reference(big))).toBe(true);
    const small = { a: 1, b: ['x'] };
    expect(Buffer.from(canonicalBytes(small)!).toString('utf8')).toBe('{"a":1,"b":["x"]}');
  });

  it('hand back what the fast paths leave to the reference writer', () => {
    expect(canonicalBytes({ a: 1e-7 })).toBeNull();
    expect(canonicalBytes({ a: [1, undefined] })).toBeNull();
    expect(canonicalBytes({ a: { toJSON: () => 1 } })).toBeNull();
    expect(canonicalBytes({ '\ud83d\ude00': 1 })).toBeNull();
    expect(canonicalBytes({ a: 1n } as never)).toBeNull();
  });

  it('a getter that hashes while the buffer is in use gets the same hash as without the getter', () => {
    const inner = { x: 'inner', y: [1, 2] };
    const outer: Record<string, unknown> = { a: 'before' };
    let innerHash = '';
    Object.defineProperty(outer, 'b', {
      enumerable: true,
      get: () => {
        innerHash = inputHash(inner);
        return 'value';
      },
    });
    outer.c = 'after';
    expect(canonicalSha256Hex(outer)).toBe(sha('{"a":"before","b":"value","c":"after"}'));
    expect(innerHash).toBe(sha('{"x":"inner","y":[1,2]}'));
  });
});
