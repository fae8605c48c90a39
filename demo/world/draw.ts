/**
 * The demo world's randomness: every draw is a pure function of the world seed and a label, so the same seed gives
 * the same world. A draw is the first 48 bits of SHA-256(`<seed>|<part>|<part>…`) divided by 2^48, in [0, 1).
 */
import { createHash } from 'node:crypto';

export function draw(seed: number, ...parts: readonly (string | number)[]): number {
  const digest = createHash('sha256').update([String(seed), ...parts.map(String)].join('|')).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** An integer in [0, n) from a draw. */
export function drawInt(seed: number, n: number, ...parts: readonly (string | number)[]): number {
  return Math.min(n - 1, Math.floor(draw(seed, ...parts) * n));
}
