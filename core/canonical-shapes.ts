/**
 * Object shapes for the canonical JSON fast paths (core/canonical-json.ts writes text, core/canonical-bytes.ts
 * writes UTF-8). Objects built by the same code share a key order ("shape"): a shape seen before brings its sorted
 * order and the written form of each key (`"key":`, and `,"key":` after the first), found after an element-by-element
 * check of the keys (interned strings: mostly pointer compares). Bounded: at most 1024 first keys × 8 shapes of ≤ 32
 * keys of ≤ 64 characters.
 */

/** Thrown by a fast path for a value it leaves to the reference writer. */
export const NOT_EXACT = Symbol('not exact');

const SURROGATE = /[\uD800-\uDFFF]/;

export interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  /** `"key":` for each sorted key. */
  readonly head: readonly string[];
  /** `,"key":` for each sorted key. */
  readonly tail: readonly string[];
  /** UTF-8 of `,"key":` for each sorted key, in little-endian 32-bit words (zero-padded); see `tailLength`. */
  readonly tailWords: readonly Uint32Array[];
  /** Byte length of each `,"key":`. */
  readonly tailLength: readonly number[];
}

const shapes = new Map<string, Shape[]>();
const SHAPES_MAX = 1024;
const SHAPES_PER_FIRST_KEY = 8;
const encoder = new TextEncoder();

/** The shape of an object with these own keys (in insertion order, non-empty); throws NOT_EXACT on a surrogate key. */
export function shapeOf(keys: string[]): Shape {
  const bucket = shapes.get(keys[0]);
  if (bucket) {
    for (const shape of bucket) if (sameKeys(shape.keys, keys)) return shape;
  }
  const sorted = isSorted(keys) ? keys : [...keys].sort();
  const head = sorted.map((k) => `${quotedKey(k)}:`); // throws NOT_EXACT on a surrogate, before anything is kept
  const tail = head.map((h) => `,${h}`);
  const bytes = tail.map((t) => encoder.encode(t));
  const tailWords = bytes.map(toWords);
  const shape: Shape = { keys, sorted, head, tail, tailWords, tailLength: bytes.map((b) => b.length) };
  if (!cacheable(keys)) return shape;
  if (bucket === undefined) {
    if (shapes.size < SHAPES_MAX) shapes.set(keys[0], [shape]);
  } else if (bucket.length < SHAPES_PER_FIRST_KEY) bucket.push(shape);
  return shape;
}

/** Bytes packed four to a word, little-endian (the byte writer stores them with `DataView.setUint32(…, true)`). */
function toWords(bytes: Uint8Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  for (let i = 0; i < bytes.length; i++) words[i >> 2] |= bytes[i] << (8 * (i & 3));
  return words;
}

/** Only small shapes of short keys are kept: a hostile input cannot make the cache hold much. */
function cacheable(keys: readonly string[]): boolean {
  if (keys.length > 32) return false;
  for (const k of keys) if (k.length > 64) return false;
  return true;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * UTF-16 order; equal to code-point order here because a key holding a surrogate throws NOT_EXACT (quotedKey) before
 * the shape is used.
 */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/** Keys repeat across inputs (the schema's own): their quoted text is kept, and checked for surrogates once. */
const keyText = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

function quotedKey(key: string): string {
  const known = keyText.get(key);
  if (known !== undefined) return known;
  if (SURROGATE.test(key)) throw NOT_EXACT;
  const text = JSON.stringify(key);
  if (keyText.size < KEY_CACHE_MAX && key.length <= 64) keyText.set(key, text);
  return text;
}
