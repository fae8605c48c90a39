import { describe, expect, it } from 'vitest';
import { layerNormRelu } from '../../plugins/tfjs/layer-norm-relu.js';

/** torch's LayerNorm + ReLU on one row, written out plainly in float64. */
function reference(row: number[], w: Float32Array, b: Float32Array, eps: number): number[] {
  const mean = row.reduce((a, c) => a + c, 0) / row.length;
  const variance = row.reduce((a, c) => a + (c - mean) ** 2, 0) / row.length;
  return row.map((v, i) => Math.max(0, ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i]));
}

describe('layerNormRelu', () => {
  const width = 37;
  const w = Float32Array.from({ length: width }, (_, i) => 0.5 + (i % 7) / 7);
  const b = Float32Array.from({ length: width }, (_, i) => ((i % 5) - 2) / 10);

  it('normalises each row on its own, in place, to the float32 rounding of the float64 result', () => {
    const rows = 3;
    const data = Float32Array.from({ length: rows * width }, (_, k) => Math.sin(k * 1.7) * (1 + Math.floor(k / width)));
    const input = Array.from(data);
    const out = layerNormRelu(data, rows, width, w, b, 1e-5);
    expect(out).toBe(data);
    for (let r = 0; r < rows; r++) {
      const want = reference(input.slice(r * width, (r + 1) * width), w, b, 1e-5);
      want.forEach((v, i) => expect(Math.abs(out[r * width + i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -23));
    }
    expect(out.some((v) => v === 0)).toBe(true); // the ReLU clipped something
  });

  it('uses eps on a constant row (zero variance) and keeps a NaN a NaN', () => {
    const flat = new Float32Array(width).fill(3);
    layerNormRelu(flat, 1, width, w, b, 1e-5);
    flat.forEach((v, i) => expect(v).toBe(Math.fround(Math.max(0, b[i]))));
    const poisoned = Float32Array.from({ length: width }, (_, i) => (i === 4 ? NaN : i));
    layerNormRelu(poisoned, 1, width, w, b, 1e-5);
    expect(poisoned.every((v) => Number.isNaN(v))).toBe(true);
  });
});
