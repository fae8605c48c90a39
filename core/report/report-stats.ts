/** Small statistics for `report`: nearest-rank percentiles, rates, counting, equal-width time buckets. */
import type { HeadAgreement } from './report-types.js';

/** Nearest-rank percentile of `values` (p in [0, 100]); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Counts by key, most frequent first (ties by key). */
export function countBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** `[start, end)` ranges splitting `[min, max]` into at most `n` equal parts (one range when min = max). */
export function timeRanges(times: readonly number[], n: number): { start: number; end: number }[] {
  if (times.length === 0) return [];
  const min = Math.min(...times);
  const max = Math.max(...times);
  if (max === min) return [{ start: min, end: min + 1 }];
  const width = (max - min) / n;
  return Array.from({ length: n }, (_, i) => ({
    start: min + i * width,
    end: i === n - 1 ? max + 1 : min + (i + 1) * width,
  }));
}

export function round(value: number | null, digits = 4): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Per-head and exact agreement rates over [swarm, candidates, minutes, iterations] match flags. */
export function summarizeAgreement(heads: readonly boolean[][]): HeadAgreement {
  const share = (pick: (h: boolean[]) => boolean): number | null =>
    round(rate(heads.filter(pick).length, heads.length));
  return {
    compared: heads.length,
    exact: share((h) => h.every(Boolean)),
    swarm: share((h) => h[0]),
    candidates: share((h) => h[1]),
    minutes: share((h) => h[2]),
    iterations: share((h) => h[3]),
  };
}
