/**
 * Canonical JSON as the Python planner hashes it: keys sorted (code-point order), separators `,` and `:`,
 * non-ASCII kept raw, floats in Python `repr` form. JavaScript cannot tell `1.0` from `1`; integral numbers are
 * written as integers (the Python planner writes its integral fields as ints too).
 */
import { canonicalSha256Hex, sha256Hex } from './canonical-bytes.js';
import { NOT_EXACT, shapeOf } from './canonical-shapes.js';

export function canonicalJson(value: unknown): string {
  try {
    return direct(value);
  } catch (e) {
    // NOT_EXACT: a value the direct writer leaves to the reference writer. RangeError: nesting too deep for the
    // recursive fast path; the reference writer below does not recurse.
    if (e === NOT_EXACT || e instanceof RangeError) return canonicalJsonSlow(value);
    throw e;
  }
}

/** The reference writer, value by value; the fast path above must agree with it (tested). */
export function canonicalJsonSlow(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

/**
 * Fast path: one recursive pass that concatenates the text (no sorted copy, no second walk by JSON.stringify).
 * Strings are quoted by JSON.stringify, as the reference writer does. It bails out (NOT_EXACT) where it could
 * differ from the reference: numbers outside [1e-4, 1e16) (exponent layout) or not finite, keys holding a surrogate
 * (UTF-16 order is not code-point order there), `undefined` in arrays, `toJSON` objects, other types.
 */
function direct(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number': {
      const a = Math.abs(value);
      if (a === 0 || (a >= 1e-4 && a < 1e16)) return String(value);
      throw NOT_EXACT;
    }
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return directArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_EXACT;
      return directObject(value as Record<string, unknown>);
    default:
      throw NOT_EXACT;
  }
}

/** JSON.stringify's text for a string; plain printable ASCII (most values) is wrapped without a native call. */
function quoted(s: string): string {
  if (s.length > 64) return JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function directArray(arr: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    if (item === undefined) throw NOT_EXACT;
    out += i === 0 ? direct(item) : `,${direct(item)}`;
  }
  return `${out}]`;
}

/** `skip`: a key left out (the root's `created_at`, for the input hash). */
function directObject(obj: Record<string, unknown>, skip?: string): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  const { sorted, head, tail } = shapeOf(keys);
  let out = '{';
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const v = obj[sorted[i]];
    if (v === undefined || sorted[i] === skip) continue;
    out += (first ? head[i] : tail[i]) + direct(v);
    first = false;
  }
  return `${out}}`;
}

type Frame =
  | { readonly arr: readonly unknown[]; i: number }
  | { readonly obj: Record<string, unknown>; readonly keys: string[]; i: number };

/**
 * Appends to one array and joins once: ~5x faster than building nested strings with map/join per level. Iterative
 * (an explicit stack), so any nesting depth is written without overflowing the call stack.
 */
function write(root: unknown, out: string[]): void {
  const stack: Frame[] = [];
  let next: unknown = root;
  let pending = true;
  for (;;) {
    if (pending) {
      pending = false;
      if (Array.isArray(next)) {
        out.push('[');
        stack.push({ arr: next, i: 0 });
      } else if (next !== null && typeof next === 'object') {
        out.push('{');
        const obj = next as Record<string, unknown>;
        stack.push({
          obj,
          keys: Object.keys(obj)
            .sort(compareCodePoints)
            .filter((k) => obj[k] !== undefined),
          i: 0,
        });
      } else out.push(scalar(next));
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    if ('arr' in top) {
      if (top.i === top.arr.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      next = top.arr[top.i++];
    } else {
      if (top.i === top.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const key = top.keys[top.i];
      out.push(top.i++ > 0 ? ',' : '', JSON.stringify(key), ':');
      next = top.obj[key];
    }
    pending = true;
  }
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'null';
}

/** Python's `repr(float)` for non-integral finite numbers; ints as ints; NaN/Infinity as Python writes them. */
export function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Shortest round-trip digits are the same in both languages; only the exponent layout differs.
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mantissa.includes('.') ? mantissa : `${mantissa}`;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/**
 * Python's string order (code points). UTF-16 order agrees except when a surrogate meets a unit in U+E000–U+FFFF;
 * the fix-up moves surrogates above that range. No iterator allocation: object keys are sorted on the hot path.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Reference §2 `input_hash`: sha256 of the canonical input without `created_at`, lowercase hex. */
export function inputHash(input: Record<string, unknown>): string {
  if (isPlainObject(input)) {
    const hex = canonicalSha256Hex(input, 'created_at'); // UTF-8 written directly; null: not exact there
    if (hex !== null) return hex;
  }
  return sha256Hex(canonicalWithoutCreatedAt(input));
}

function isPlainObject(x: Record<string, unknown>): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof x.toJSON !== 'function';
}

/** `canonicalJson` of a copy without `created_at`; a plain object is written as it is, skipping the key. */
function canonicalWithoutCreatedAt(input: Record<string, unknown>): string {
  if (isPlainObject(input)) {
    try {
      return directObject(input, 'created_at');
    } catch (e) {
      if (e !== NOT_EXACT && !(e instanceof RangeError)) throw e;
    }
  }
  const { created_at: _ignored, ...rest } = input;
  return canonicalJson(rest);
}
