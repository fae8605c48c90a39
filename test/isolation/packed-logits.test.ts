/** The compact framing of logits over IPC: exact round trip, and no packing where values could change. */
import { describe, expect, it } from 'vitest';
import type { HeadLogits } from '../../core/backend/plugin.js';
import { packLogits, unpackLogits } from '../../core/isolation/worker-protocol.js';

const item = (seed: number, widths = [2, 4, 6, 5]): HeadLogits => {
  const [s, c, m, i] = widths.map((w, k) =>
    Float32Array.from({ length: w }, (_, j) => Math.fround(Math.sin(seed * 7 + k * 3 + j) * 1e3)),
  );
  return { swarm: s, candidates: c, minutes: m, iterations: i };
};

describe('packed logits', () => {
  it('round-trips every value and every length exactly, odd widths included', () => {
    const logits = [item(1), item(2, [2, 3, 6, 7]), item(3, [0, 4, 1, 5]), item(4)];
    logits[1].minutes[2] = NaN;
    logits[3].swarm[0] = -Infinity;
    const packed = packLogits(logits);
    expect(packed).not.toBeNull();
    expect(unpackLogits(packed!)).toEqual(logits);
    expect(Object.is(unpackLogits(packed!)[1].minutes[2], NaN)).toBe(true);
    expect(unpackLogits(packLogits([])!)).toEqual([]);
  });

  it('leaves answers it cannot carry exactly to the plain path', () => {
    const plain = { ...item(1), swarm: [0.1, 0.2] } as unknown as HeadLogits; // float64: packing would round it
    const missing = {
      swarm: new Float32Array(2),
      candidates: new Float32Array(4),
      minutes: new Float32Array(6),
    } as unknown as HeadLogits;
    expect(packLogits([item(1), plain])).toBeNull();
    expect(packLogits([missing])).toBeNull();
    expect(packLogits([null as unknown as HeadLogits])).toBeNull();
    expect(packLogits('nope' as unknown as HeadLogits[])).toBeNull();
  });
});
