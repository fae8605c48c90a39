/**
 * Paired bootstrap of a model-minus-baseline difference: rows are resampled with replacement (seeded, so a report
 * is reproducible) and the statistic recomputed; the 95% interval is the 2.5th and 97.5th percentile (numpy linear)
 * of the resampled differences. A resample in which the statistic is undefined (e.g. no row with a defined regret)
 * is dropped and not counted.
 */
import { mulberry32 } from '../prng.js';
import { percentile } from './py-data.js';

export interface BootstrapInterval {
  /** The difference on the rows as they are; null when undefined. */
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Resamples that gave a defined difference. */
  readonly resamples: number;
  readonly seed: number;
}

/** Per-row paired values; null where the row does not take part (e.g. regret where the oracle failed). */
export interface PairedRow {
  readonly model: number | null;
  readonly baseline: number | null;
}

function meanDiff(rows: readonly PairedRow[], indices: Iterable<number>): number | null {
  let n = 0;
  let sum = 0;
  for (const i of indices) {
    const r = rows[i];
    if (r.model === null || r.baseline === null) continue;
    n += 1;
    sum += r.model - r.baseline;
  }
  return n === 0 ? null : sum / n;
}

export function bootstrapMeanDiff(rows: readonly PairedRow[], resamples: number, seed: number): BootstrapInterval {
  const estimate = meanDiff(rows, rows.keys());
  const random = mulberry32(seed);
  const diffs: number[] = [];
  const draw = new Array<number>(rows.length);
  for (let b = 0; b < resamples && rows.length > 0; b++) {
    for (let i = 0; i < rows.length; i++) draw[i] = Math.floor(random() * rows.length);
    const d = meanDiff(rows, draw);
    if (d !== null) diffs.push(d);
  }
  diffs.sort((a, b) => a - b);
  return { estimate, low: percentile(diffs, 0.025), high: percentile(diffs, 0.975), resamples: diffs.length, seed };
}
