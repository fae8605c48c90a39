/**
 * Canonical JSON against Python's own output (fixtures/canonical-json/goldens.json, made once by
 * fixtures/tools/canonical-json-goldens.py with `json.dumps(obj, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False)`): both writers must match it, except the documented cases JavaScript cannot represent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonSlow, inputHash } from '../../core/canonical-json.js';
import { Prng } from '../support/fuzz-prng.js';

interface Golden {
  readonly name: string;
  readonly input: string;
  readonly python: string;
  readonly js_expected?: string;
  readonly why?: string;
}

const goldens = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'canonical-json', 'goldens.json'), 'utf8'),
  ) as { cases: Golden[] }
).cases;

describe('canonical JSON equals Python json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)', () => {
  for (const g of goldens) {
    it(`${g.name}${g.js_expected ? ' (documented difference)' : ''}`, () => {
      const value = JSON.parse(g.input);
      const want = g.js_expected ?? g.python;
      expect(canonicalJson(value)).toBe(want);
      expect(canonicalJsonSlow(value)).toBe(want);
      if (g.js_expected) expect(g.js_expected).not.toBe(g.python);
    });
  }

  it('keeps __proto__ keys in the fast path too, so inputs differing only there do not collide', () => {
    const rand = new Prng(16);
    for (let n = 0; n < 200; n++) {
      const inner = rand.chance(0.5) ? `{"x":${rand.int(100)}}` : String(rand.int(100));
      const text = `{"a":${rand.int(5)},"__proto__":${inner},"z":{"__proto__":[${rand.int(9)}],"b":1}}`;
      const value = JSON.parse(text);
      expect(canonicalJson(value)).toBe(canonicalJsonSlow(value));
      expect(canonicalJson(value)).toContain(`"__proto__":${inner}`);
    }
    const a = inputHash(JSON.parse('{"issue":{"__proto__":{"x":1}}}'));
    const b = inputHash(JSON.parse('{"issue":{"__proto__":{"x":2}}}'));
    expect(a).not.toBe(b);
  });
});
