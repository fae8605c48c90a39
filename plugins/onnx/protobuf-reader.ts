/**
 * A bounds-checked protobuf field iterator. Every read checks the remaining length; groups (wire types 3/4),
 * unknown wire types, over-long varints and lengths past the end throw ONNX_PROTO_INVALID. Never loops forever:
 * each step consumes at least one byte.
 */
import { PlannerError } from '../../core/errors.js';

export const ONNX_PROTO_INVALID = 'ONNX_PROTO_INVALID';

export type ProtoField =
  | { readonly field: number; readonly wire: 0; readonly value: number }
  | { readonly field: number; readonly wire: 1 | 5; readonly bytes: Uint8Array }
  | { readonly field: number; readonly wire: 2; readonly bytes: Uint8Array };

export function protoError(message: string, where: string): PlannerError {
  return new PlannerError(
    ONNX_PROTO_INVALID,
    `${where}: ${message}; the ONNX file is corrupt or truncated, re-export it`,
    { context: { file: where } },
  );
}

class Cursor {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly where: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Varint as a JS number (int64 values ≥ 2^63 come back negative, as two's complement). */
  varint(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw protoError('varint runs past the end of its message', this.where);
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) return (hi | 0) * 2 ** 32 + (lo >>> 0);
    }
    throw protoError('varint longer than 10 bytes', this.where);
  }

  take(n: number): Uint8Array {
    if (n < 0 || n > this.buf.length - this.pos)
      throw protoError(`field of ${n} bytes runs past the end (${this.buf.length - this.pos} left)`, this.where);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** All fields of one message, in order. */
export function readFields(buf: Uint8Array, where: string): ProtoField[] {
  const c = new Cursor(buf, where);
  const out: ProtoField[] = [];
  while (!c.done) {
    const key = c.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field < 1) throw protoError(`field number ${field} is invalid`, where);
    if (wire === 0) out.push({ field, wire, value: c.varint() });
    else if (wire === 1) out.push({ field, wire, bytes: c.take(8) });
    else if (wire === 5) out.push({ field, wire, bytes: c.take(4) });
    else if (wire === 2) out.push({ field, wire, bytes: c.take(c.varint()) });
    else throw protoError(`unsupported wire type ${wire} (field ${field})`, where);
  }
  return out;
}

/** Values of a repeated integer field, accepting both packed and unpacked encodings. */
export function readInts(fields: readonly ProtoField[], field: number, where: string): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === 0) out.push(f.value);
    else if (f.wire === 2) {
      const c = new Cursor(f.bytes, where);
      while (!c.done) out.push(c.varint());
    } else throw protoError(`field ${field} should hold integers`, where);
  }
  return out;
}

export function lastInt(fields: readonly ProtoField[], field: number, where: string): number | null {
  const values = readInts(fields, field, where);
  return values.length > 0 ? values[values.length - 1] : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function strings(fields: readonly ProtoField[], field: number, where: string): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire !== 2) throw protoError(`field ${field} should be a string`, where);
    try {
      out.push(utf8.decode(f.bytes));
    } catch {
      throw protoError(`field ${field} is not valid UTF-8`, where);
    }
  }
  return out;
}

export function lastString(fields: readonly ProtoField[], field: number, where: string): string | null {
  const values = strings(fields, field, where);
  return values.length > 0 ? values[values.length - 1] : null;
}

/** Sub-messages of a field (length-delimited). */
export function messages(fields: readonly ProtoField[], field: number, where: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire !== 2) throw protoError(`field ${field} should be a message`, where);
    out.push(f.bytes);
  }
  return out;
}
