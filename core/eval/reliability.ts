/**
 * Reliability of a confidence: equal-width buckets over [0, 1] (the last includes 1.0), each with its count, mean
 * confidence and observed accuracy, and the expected calibration error ECE = Σ_b (n_b / n)·|acc_b − conf_b|.
 */

export interface ReliabilityBucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly mean_confidence: number | null;
  readonly accuracy: number | null;
}

export interface Reliability {
  readonly count: number;
  /** Null with no items. */
  readonly ece: number | null;
  readonly buckets: readonly ReliabilityBucket[];
}

export interface ScoredItem {
  readonly confidence: number;
  readonly correct: boolean;
}

export function reliability(items: readonly ScoredItem[], bucketCount = 10): Reliability {
  const sums = Array.from({ length: bucketCount }, () => ({ n: 0, conf: 0, hits: 0 }));
  for (const { confidence, correct } of items) {
    const b = sums[Math.min(bucketCount - 1, Math.max(0, Math.floor(confidence * bucketCount)))];
    b.n += 1;
    b.conf += confidence;
    b.hits += Number(correct);
  }
  let ece = 0;
  const buckets = sums.map((s, i) => {
    if (s.n > 0) ece += (s.n / items.length) * Math.abs(s.hits / s.n - s.conf / s.n);
    return {
      lower: i / bucketCount,
      upper: (i + 1) / bucketCount,
      count: s.n,
      mean_confidence: s.n === 0 ? null : s.conf / s.n,
      accuracy: s.n === 0 ? null : s.hits / s.n,
    };
  });
  return { count: items.length, ece: items.length === 0 ? null : ece, buckets };
}
