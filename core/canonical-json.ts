/**
 * Canonical JSON as the Python planner hashes it: keys sorted (code-point order), separators `,` and `:`,
 * non-ASCII kept raw, floats in Python `repr` form. JavaScript cannot tell `1.0` from `1`; integral numbers are
 * written as integers (the Python planner writes its integral fields as ints too).
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(sortedClone(value));
  } catch (e) {
    // RangeError: nesting too deep for the recursive fast path; the reference writer below does not recurse.
    if (e === NOT_EXACT || e instanceof RangeError) return canonicalJsonSlow(value);
    throw e;
  }
  // UTF-16 key order equals code-point order unless a key holds a surrogate; check the whole text once (cheap).
  return SURROGATE.test(text) ? canonicalJsonSlow(value) : text;
}

/** The reference writer, value by value; the fast path above must agree with it (tested). */
export function canonicalJsonSlow(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

const NOT_EXACT = Symbol('not exact');
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Fast path (~2.5x): a copy with keys inserted in sorted order, for JSON.stringify to write. It bails out (NOT_EXACT)
 * where JSON.stringify would differ from Python: numbers outside [1e-4, 1e16) (exponent layout) or not finite,
 * keys starting with a digit (JS orders integer-like keys numerically), `undefined` in arrays, `toJSON` objects.
 */
function sortedClone(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number': {
      const a = Math.abs(value);
      if (a === 0 || (a >= 1e-4 && a < 1e16)) return value;
      throw NOT_EXACT;
    }
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(arrayItem);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_EXACT;
      return sortedObject(value as Record<string, unknown>);
    default:
      throw NOT_EXACT;
  }
}

function arrayItem(item: unknown): unknown {
  if (item === undefined) throw NOT_EXACT;
  return sortedClone(item);
}

function sortedObject(obj: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(obj).sort();
  // No prototype: on a plain object `out.__proto__ = v` would set the prototype and drop the key.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of keys) {
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57) throw NOT_EXACT;
    const v = obj[key];
    if (v !== undefined) out[key] = sortedClone(v);
  }
  return out;
}

type Frame = { readonly arr: readonly unknown[]; i: number } | { readonly obj: Record<string, unknown>; readonly keys: string[]; i: number };

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
        stack.push({ obj, keys: Object.keys(obj).sort(compareCodePoints).filter((k) => obj[k] !== undefined), i: 0 });
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
  const { created_at: _ignored, ...rest } = input;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}
