/** Torch storage types the checkpoint reader knows, and their little-endian decoding into float32. */
import { PlannerError } from '../../core/errors.js';

export type TorchDtype =
  'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** `torch.<Name>Storage` → dtype and element size. Non-float types load but are refused when converted. */
export const STORAGE_TYPES: ReadonlyMap<string, { dtype: TorchDtype; size: number }> = new Map([
  ['FloatStorage', { dtype: 'float32', size: 4 }],
  ['HalfStorage', { dtype: 'float16', size: 2 }],
  ['BFloat16Storage', { dtype: 'bfloat16', size: 2 }],
  ['DoubleStorage', { dtype: 'float64', size: 8 }],
  ['LongStorage', { dtype: 'int64', size: 8 }],
  ['IntStorage', { dtype: 'int32', size: 4 }],
  ['ShortStorage', { dtype: 'int16', size: 2 }],
  ['CharStorage', { dtype: 'int8', size: 1 }],
  ['ByteStorage', { dtype: 'uint8', size: 1 }],
  ['BoolStorage', { dtype: 'bool', size: 1 }],
] as const);

export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Reader of element `i` (in elements) of a storage's bytes as a float. */
export function elementReader(dtype: TorchDtype, bytes: Uint8Array, where: string): (i: number) => number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scratch = new DataView(new ArrayBuffer(4));
  switch (dtype) {
    case 'float32':
      return (i) => v.getFloat32(i * 4, true);
    case 'float64':
      return (i) => v.getFloat64(i * 8, true);
    case 'float16':
      return (i) => float16ToFloat32(v.getUint16(i * 2, true));
    case 'bfloat16':
      return (i) => {
        scratch.setUint32(0, v.getUint16(i * 2, true) << 16);
        return scratch.getFloat32(0);
      };
    default:
      throw new PlannerError(
        'TORCH_DTYPE_UNSUPPORTED',
        `${where}: dtype ${dtype} is not a float type; the MLPPolicy weights must be float32/float16/bfloat16/float64`,
        {
          context: { file: where, dtype },
        },
      );
  }
}
