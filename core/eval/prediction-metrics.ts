/**
 * Prediction metrics of reference §13.1 over (predicted, gold) pairs: per-head accuracy, exact match, the entropy
 * (natural log, `-Σ p·ln(p + 1e-12)`) and top-1 share of the predicted swarm distribution. With no pairs every
 * rate is 0. Confidence summaries (mean, numpy-linear p10/p50/p90) are what the Python `ablate` adds.
 */
import type { ActionTuple } from '../action.js';
import { percentile } from './py-data.js';

export interface PredictionMetrics {
  readonly count: number;
  readonly acc_swarm: number;
  readonly acc_max_candidates: number;
  readonly acc_max_minutes: number;
  readonly acc_max_iterations: number;
  readonly exact_match: number;
  readonly swarm_entropy: number;
  readonly swarm_top1_freq: number;
}

export interface PredictionPair {
  readonly predicted: ActionTuple;
  readonly gold: ActionTuple;
}

export function predictionMetrics(pairs: readonly PredictionPair[]): PredictionMetrics {
  const n = pairs.length;
  const rate = (hits: number): number => (n === 0 ? 0 : hits / n);
  let swarm = 0;
  let cand = 0;
  let mins = 0;
  let iters = 0;
  let exact = 0;
  const swarmCounts = new Map<string, number>();
  for (const { predicted: p, gold: g } of pairs) {
    const hits = [
      p.swarm_id === g.swarm_id,
      p.max_candidates_bin === g.max_candidates_bin,
      p.max_minutes_bin === g.max_minutes_bin,
      p.max_iterations_bin === g.max_iterations_bin,
    ];
    swarm += Number(hits[0]);
    cand += Number(hits[1]);
    mins += Number(hits[2]);
    iters += Number(hits[3]);
    exact += Number(hits.every(Boolean));
    swarmCounts.set(p.swarm_id, (swarmCounts.get(p.swarm_id) ?? 0) + 1);
  }
  return {
    count: n,
    acc_swarm: rate(swarm),
    acc_max_candidates: rate(cand),
    acc_max_minutes: rate(mins),
    acc_max_iterations: rate(iters),
    exact_match: rate(exact),
    ...swarmDistribution(swarmCounts, n),
  };
}

function swarmDistribution(
  counts: ReadonlyMap<string, number>,
  n: number,
): Pick<PredictionMetrics, 'swarm_entropy' | 'swarm_top1_freq'> {
  if (n === 0) return { swarm_entropy: 0, swarm_top1_freq: 0 };
  let entropy = 0;
  let top = 0;
  // First-seen order, as a Python Counter iterates.
  for (const count of counts.values()) {
    const p = count / n;
    entropy -= p * Math.log(p + 1e-12);
    top = Math.max(top, count);
  }
  return { swarm_entropy: entropy, swarm_top1_freq: top / n };
}

export interface ConfidenceSummary {
  readonly mean: number | null;
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
}

export function confidenceSummary(values: readonly number[]): ConfidenceSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { mean, p10: percentile(sorted, 0.1), p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}
