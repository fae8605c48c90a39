/** Latency statistics for the benchmarks: percentiles over raw samples, and a timed loop. */
import { performance } from 'node:perf_hooks';

export interface LatencyStats {
  readonly n: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of sorted samples, p in [0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** The upper middle of the samples (`n/2` rounded down, 0-based, after sorting): what the per-stage benches report. */
export function median(samples: readonly number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export function summarize(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    meanMs: mean,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    minMs: sorted[0] ?? NaN,
    maxMs: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times, and returns each call's wall time in ms. */
export async function sample(
  fn: (i: number) => Promise<unknown> | unknown,
  iterations: number,
  warmup = Math.min(50, iterations),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Measures several contenders in alternating rounds, so that drift (thermal, a noisy neighbour) hits them alike:
 * round r runs every contender `perRound` times before round r+1 starts.
 */
export async function interleaved(
  contenders: Record<string, (i: number) => Promise<unknown> | unknown>,
  rounds: number,
  perRound: number,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) await sample(fn, 0, Math.min(100, perRound));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) out[name].push(...(await sample(fn, perRound, 0)));
  }
  return out;
}

export const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
