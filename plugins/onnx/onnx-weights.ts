/**
 * Finds the first non-finite (NaN or ±Inf) element of an inline ONNX tensor, without running the model: float32,
 * float64, float16 and bfloat16 in `raw_data`, and float32/float64 in `float_data`/`double_data` (packed or not).
 * The loader refuses such a model before onnxruntime sees it, and lint reports the same code (ONNX_WEIGHTS_NONFINITE).
 */
import type { ProtoField } from './protobuf-reader.js';

export const ONNX_WEIGHTS_NONFINITE = 'ONNX_WEIGHTS_NONFINITE';

const FLOAT = 1;
const FLOAT16 = 10;
const DOUBLE = 11;
const BFLOAT16 = 16;
const RAW_DATA = 9;
const FLOAT_DATA = 4;
const DOUBLE_DATA = 10;

/** Index of the first NaN/Inf element, or null (also for tensor types that cannot hold one). */
export function firstNonFinite(t: readonly ProtoField[], dataType: number): number | null {
  const raw = lastBytes(t, RAW_DATA);
  if (raw) return scanRaw(raw, dataType);
  if (dataType === FLOAT) return scanRepeated(t, FLOAT_DATA, 4);
  if (dataType === DOUBLE) return scanRepeated(t, DOUBLE_DATA, 8);
  return null;
}

function lastBytes(t: readonly ProtoField[], field: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const f of t) if (f.field === field && f.wire === 2) out = f.bytes;
  return out;
}

function scanRaw(raw: Uint8Array, dataType: number): number | null {
  if (dataType === FLOAT) return scanWords(raw, 4);
  if (dataType === DOUBLE) return scanWords(raw, 8);
  if (dataType === FLOAT16) return scanHalf(raw, 0x7c00);
  if (dataType === BFLOAT16) return scanHalf(raw, 0x7f80);
  return null;
}

/** Little-endian float32 (width 4) or float64 (width 8) words. */
function scanWords(bytes: Uint8Array, width: 4 | 8): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.floor(bytes.byteLength / width);
  for (let i = 0; i < n; i++) {
    const x = width === 4 ? view.getFloat32(i * width, true) : view.getFloat64(i * width, true);
    if (!Number.isFinite(x)) return i;
  }
  return null;
}

/** 16-bit floats: non-finite exactly when every exponent bit is set. */
function scanHalf(bytes: Uint8Array, exponentMask: number): number | null {
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (((bytes[i] | (bytes[i + 1] << 8)) & exponentMask) === exponentMask) return i / 2;
  }
  return null;
}

/** A repeated float/double field: packed (one length-delimited run) or one fixed-width field per value. */
function scanRepeated(t: readonly ProtoField[], field: number, width: 4 | 8): number | null {
  let index = 0;
  for (const f of t) {
    if (f.field !== field || f.wire === 0) continue;
    const at = scanWords(f.bytes, width);
    if (at !== null) return index + at;
    index += Math.floor(f.bytes.byteLength / width);
  }
  return null;
}
