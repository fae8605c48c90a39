/** Plain-object helpers for reading untrusted JSON: a non-object reads as an empty object. */

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export function asRecord(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : EMPTY;
}
