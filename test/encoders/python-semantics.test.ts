import { describe, expect, it } from 'vitest';
import { pyIntOrZero, pyStrOrEmpty } from '../../core/encoders/python-int.js';
import { compareCodePoints, pyStrip, safeStr, sortCodePoints } from '../../core/encoders/python-strip.js';

describe('Python str.strip()', () => {
  it('strips \\x1c-\\x1f and \\x85 (which JS trim keeps) and keeps \\uFEFF (which JS trim strips)', () => {
    expect(pyStrip('\x1c\x1d a \x1e\x1f')).toBe('a');
    expect(pyStrip('\x85x\x85')).toBe('x');
    expect(pyStrip('\uFEFFx\uFEFF')).toBe('\uFEFFx\uFEFF');
    expect(pyStrip('\u3000\u2028\t\nx\u00a0')).toBe('x');
    expect('\x1cx'.trim()).toBe('\x1cx'); // documents the JS difference
  });

  it('safe_str: non-strings and blank strings are none', () => {
    expect(safeStr(5)).toBeNull();
    expect(safeStr(null)).toBeNull();
    expect(safeStr(' \x1f ')).toBeNull();
    expect(safeStr('\uFEFF')).toBe('\uFEFF');
    expect(safeStr(' codex ')).toBe('codex');
  });
});

describe('code-point order', () => {
  it('sorts astral characters after U+FFFF-range BMP characters, unlike UTF-16 order', () => {
    const a = '\u{1F600}';
    const b = '\uFF5E';
    expect([a, b].sort()).toEqual([a, b]); // UTF-16 order: 0xD83D < 0xFF5E
    expect(sortCodePoints([a, b])).toEqual([b, a]); // Python: 0x1F600 > 0xFF5E
  });

  it('puts [TAG_HASH_1000] before [TAG_HASH_2] and prefixes first', () => {
    expect(sortCodePoints(['[TAG_HASH_2]', '[TAG_HASH_1000]'])).toEqual(['[TAG_HASH_1000]', '[TAG_HASH_2]']);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });

  it('orders a lone surrogate by its own value', () => {
    expect(sortCodePoints(['\uE000', '\uD800'])).toEqual(['\uD800', '\uE000']);
    expect(sortCodePoints(['\u{10000}', '\uD800'])).toEqual(['\uD800', '\u{10000}']);
  });
});

describe('int(x or 0) and str(x or "")', () => {
  it('follows Python semantics', () => {
    expect(pyIntOrZero(null, 'k')).toBe(0n);
    expect(pyIntOrZero(undefined, 'k')).toBe(0n);
    expect(pyIntOrZero(true, 'k')).toBe(1n);
    expect(pyIntOrZero(false, 'k')).toBe(0n);
    expect(pyIntOrZero(12.9, 'k')).toBe(12n);
    expect(pyIntOrZero(-12.9, 'k')).toBe(-12n);
    expect(pyIntOrZero(' 1_000 ', 'k')).toBe(1000n);
    expect(pyIntOrZero('+42', 'k')).toBe(42n);
    expect(pyIntOrZero('', 'k')).toBe(0n);
    expect(pyIntOrZero([], 'k')).toBe(0n);
    expect(pyIntOrZero('99999999999999999999', 'k')).toBe(99999999999999999999n);
  });

  it('rejects what Python int() rejects with ENCODER_INVALID_INPUT', () => {
    for (const bad of ['abc', '1.5', '1__0', NaN, Infinity, [1], { a: 1 }, ' ']) {
      expect(() => pyIntOrZero(bad, 'k')).toThrow(expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }));
    }
  });

  it('str: falsy → "", True → "True", numbers as Python writes them', () => {
    expect(pyStrOrEmpty(0, 'k')).toBe('');
    expect(pyStrOrEmpty(true, 'k')).toBe('True');
    expect(pyStrOrEmpty(12, 'k')).toBe('12');
    expect(pyStrOrEmpty(1.5, 'k')).toBe('1.5');
    expect(pyStrOrEmpty('wc', 'k')).toBe('wc');
    expect(pyStrOrEmpty({}, 'k')).toBe('');
    expect(pyStrOrEmpty([], 'k')).toBe('');
    expect(() => pyStrOrEmpty({ a: 1 }, 'k')).toThrow(expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }));
  });
});
