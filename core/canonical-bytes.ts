/**
 * Canonical JSON written straight into UTF-8 bytes, for `input_hash`: the text of the fast writer in
 * canonical-json.ts (tested byte for byte against the reference writer), without building a string that SHA-256
 * would first flatten and convert to UTF-8. Printable ASCII is copied byte by byte while it is checked; other strings
 * go through `JSON.stringify` + UTF-8, as in the text writers. One reusable buffer; a value the fast paths leave to
 * the reference writer (see canonical-json.ts) gives null, and the caller hashes the reference text instead.
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { NOT_EXACT, shapeOf } from './canonical-shapes.js';

const INITIAL_BYTES = 16 * 1024;
/** A buffer grown past this by one large input is dropped after that input. */
const KEEP_BYTES = 1 << 20;
const utf8 = new TextEncoder();

let buf: Uint8Array = new Uint8Array(INITIAL_BYTES);
let view: DataView = new DataView(buf.buffer);
let pos = 0;
let busy = false;

/** SHA-256 (lowercase hex) of the canonical JSON of `obj` without its key `skip`; null when not written here. */
export function canonicalSha256Hex(obj: Record<string, unknown>, skip?: string): string | null {
  return withBytes(obj, skip, sha256Hex);
}

/** A copy of the canonical JSON of `obj` without `skip`, as UTF-8; null when not written here (tests, tools). */
export function canonicalBytes(obj: Record<string, unknown>, skip?: string): Uint8Array | null {
  return withBytes(obj, skip, (bytes) => bytes.slice());
}

function withBytes<T>(obj: Record<string, unknown>, skip: string | undefined, use: (bytes: Uint8Array) => T): T | null {
  if (busy) return null; // re-entered from a getter of the input: leave it to the text writers
  busy = true;
  pos = 0;
  try {
    writeObject(obj, skip);
    return use(buf.subarray(0, pos));
  } catch (e) {
    // NOT_EXACT: left to the reference writer; RangeError: nesting too deep for this recursive writer.
    if (e === NOT_EXACT || e instanceof RangeError) return null;
    throw e;
  } finally {
    busy = false;
    if (buf.length > KEEP_BYTES) setBuffer(new Uint8Array(INITIAL_BYTES));
  }
}

/** One-shot `crypto.hash` where Node has it (20.12+; ~30% cheaper than a Hash object for a few KB), else createHash. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** SHA-256, lowercase hex, of bytes or of a string's UTF-8. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  const next = new Uint8Array(Math.max(buf.length * 2, pos + n));
  next.set(buf.subarray(0, pos));
  setBuffer(next);
}

function setBuffer(next: Uint8Array): void {
  buf = next;
  view = new DataView(next.buffer);
}

function writeValue(value: unknown): void {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'boolean':
      return writeAscii(value ? 'true' : 'false');
    case 'number':
      return writeNumber(value);
    case 'object':
      if (value === null) return writeAscii('null');
      if (Array.isArray(value)) return writeArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_EXACT;
      return writeObject(value as Record<string, unknown>, undefined);
    default:
      throw NOT_EXACT;
  }
}

function writeObject(obj: Record<string, unknown>, skip: string | undefined): void {
  const keys = Object.keys(obj);
  let first = true;
  if (keys.length > 0) {
    const { sorted, tailWords, tailLength } = shapeOf(keys);
    for (let i = 0; i < sorted.length; i++) {
      const v = obj[sorted[i]];
      if (v === undefined || sorted[i] === skip) continue;
      writeWords(tailWords[i], tailLength[i], first ? 0x7b : 0x2c); // `{"key":` first, `,"key":` after
      first = false;
      writeValue(v);
    }
  }
  ensure(2);
  if (first) buf[pos++] = 0x7b;
  buf[pos++] = 0x7d;
}

/**
 * `length` bytes packed in `words`, four at a time (about twice as fast as byte by byte; the padding past `length` is
 * overwritten by what follows), with the first byte (`,`) replaced by `lead`.
 */
function writeWords(words: Uint32Array, length: number, lead: number): void {
  ensure(words.length * 4);
  const v = view;
  let p = pos;
  for (let i = 0; i < words.length; i++, p += 4) v.setUint32(p, words[i], true);
  buf[pos] = lead;
  pos += length;
}

function writeArray(arr: readonly unknown[]): void {
  ensure(1);
  buf[pos++] = 0x5b;
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    if (item === undefined) throw NOT_EXACT;
    if (i > 0) {
      ensure(1);
      buf[pos++] = 0x2c;
    }
    writeValue(item);
  }
  ensure(1);
  buf[pos++] = 0x5d;
}

/** Printable ASCII other than `"` and `\` is copied as it is; any other string is JSON.stringify'd, then UTF-8. */
function writeString(s: string): void {
  const n = s.length;
  ensure(n + 2);
  const b = buf;
  let p = pos;
  b[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return writeUtf8(JSON.stringify(s));
    b[p++] = c;
  }
  b[p++] = 0x22;
  pos = p;
}

function writeUtf8(text: string): void {
  ensure(text.length * 3); // UTF-16 unit → at most 3 bytes (a surrogate pair: 4 bytes for 2 units)
  pos += utf8.encodeInto(text, buf.subarray(pos)).written;
}

/** Only for text known to be ASCII. */
function writeAscii(text: string): void {
  const n = text.length;
  ensure(n);
  const b = buf;
  let p = pos;
  for (let i = 0; i < n; i++) b[p++] = text.charCodeAt(i);
  pos = p;
}

/** As the text fast path: integers and numbers in [1e-4, 1e16) as `String` writes them; others are not exact here. */
function writeNumber(n: number): void {
  if (Number.isSafeInteger(n)) return writeInteger(n);
  const a = Math.abs(n);
  if (a >= 1e-4 && a < 1e16) return writeAscii(String(n));
  throw NOT_EXACT;
}

/** `String(n)` of a safe integer (-0 → "0"), written digit by digit: below 1e8 in int32 arithmetic, else in two parts. */
function writeInteger(n: number): void {
  ensure(17);
  if (n < 0) {
    buf[pos++] = 0x2d;
    n = -n;
  }
  if (n < 1e8) return writeDigits(n, 0);
  let hi = Math.floor(n / 1e8);
  let lo = n - hi * 1e8; // exact: both products and differences stay below 2^53
  if (lo < 0) {
    hi -= 1;
    lo += 1e8;
  } else if (lo >= 1e8) {
    hi += 1;
    lo -= 1e8;
  }
  writeDigits(hi, 0);
  writeDigits(lo, 8);
}

/** Decimal digits of 0 ≤ n < 1e8, left-padded with zeros to `width`. */
function writeDigits(n: number, width: number): void {
  let digits = 1;
  for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
  if (digits < width) digits = width;
  let p = pos + digits;
  pos = p;
  const b = buf;
  for (let i = 0; i < digits; i++) {
    const q = (n / 10) | 0;
    b[--p] = 0x30 + n - q * 10;
    n = q;
  }
}
