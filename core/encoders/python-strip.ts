/**
 * Python string semantics the Python planner's tokenizer relies on: `str.strip()` (its whitespace set differs from
 * JavaScript's `trim()`), `safe_str`, and code-point ordering (Python `sorted` on str).
 */

/** Every code point Python's `str.strip()` removes (`str.isspace()`); none is astral. U+FEFF is not among them. */
export const PYTHON_WHITESPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

const WHITESPACE = new Set<number>(PYTHON_WHITESPACE);

export function isPythonWhitespace(code: number): boolean {
  return WHITESPACE.has(code);
}

/** Python `s.strip()` with no arguments. */
export function pyStrip(s: string): string {
  // Every Python whitespace code point is ≤ U+0020 or ≥ U+0085: printable ASCII at both ends needs no lookup.
  const n = s.length;
  if (n > 0 && isPlainEnd(s.charCodeAt(0)) && isPlainEnd(s.charCodeAt(n - 1))) return s;
  let start = 0;
  let end = s.length;
  while (start < end && WHITESPACE.has(s.charCodeAt(start))) start++;
  while (end > start && WHITESPACE.has(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function isPlainEnd(code: number): boolean {
  return code > 0x20 && code < 0x85;
}

/** The tokenizer's `safe_str`: a non-string gives null; else the stripped string, null when empty. */
export function safeStr(x: unknown): string | null {
  if (typeof x !== 'string') return null;
  const s = pyStrip(x);
  return s.length > 0 ? s : null;
}

/**
 * Python's `str` ordering: by code point. JavaScript's default compares UTF-16 units, which differs only when an
 * astral character meets a unit in U+E000..U+FFFF. A lone surrogate counts as its own code point, as in Python.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y; // below the surrogates a unit is its code point
    return codePointAtUnit(a, i) - codePointAtUnit(b, i);
  }
  return a.length - b.length;
}

/** The code point starting at unit i (a lone or trailing surrogate is its own value). */
function codePointAtUnit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
  }
  return c;
}

/** Sorted copy, Python order. */
export function sortCodePoints(values: Iterable<string>): string[] {
  return Array.from(values).sort(compareCodePoints);
}
