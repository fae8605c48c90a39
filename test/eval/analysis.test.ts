import { describe, expect, it } from 'vitest';
import { bootstrapMeanDiff } from '../../core/eval/bootstrap.js';
import { assignSplits, splitCounts } from '../../core/eval/dataset-split.js';
import { mulberry32 } from '../../core/prng.js';
import { reliability } from '../../core/eval/reliability.js';
import { recommendThreshold, sweepPoint, thresholdSweep, type SweepRow } from '../../core/eval/threshold-sweep.js';

describe('time split (§13.3)', () => {
  it('int(n*0.8) train, int(n*0.1) val, the rest test', () => {
    expect(splitCounts(0)).toEqual({ train: 0, val: 0, test: 0 });
    expect(splitCounts(1)).toEqual({ train: 0, val: 0, test: 1 });
    expect(splitCounts(9)).toEqual({ train: 7, val: 0, test: 2 });
    expect(splitCounts(10)).toEqual({ train: 8, val: 1, test: 1 });
    expect(splitCounts(25)).toEqual({ train: 20, val: 2, test: 3 });
  });

  it('sorts by (started_ms, run_id) before splitting; missing started_ms sorts as 0', () => {
    const rows = [
      { started_ms: 900, run_id: 'z' },
      { started_ms: 100, run_id: 'b' },
      { started_ms: 100, run_id: 'a' },
      { run_id: 'early' },
      ...Array.from({ length: 6 }, (_, i) => ({ started_ms: 200 + i, run_id: `m${i}` })),
    ];
    const s = assignSplits(rows);
    // sorted: early, a, b, m0..m5, z → train 8, val 1 (m5), test 1 (z)
    expect(s[0]).toBe('test');
    expect(s[9]).toBe('val');
    expect(s.filter((x) => x === 'train')).toHaveLength(8);
    expect([s[1], s[2], s[3]]).toEqual(['train', 'train', 'train']);
  });
});

describe('reliability', () => {
  it('buckets and ECE on a hand-computed case', () => {
    const r = reliability([
      { confidence: 0.05, correct: false },
      { confidence: 0.95, correct: true },
      { confidence: 0.9, correct: false },
      { confidence: 1, correct: true }, // 1.0 falls in the last bucket
    ]);
    expect(r.count).toBe(4);
    const last = r.buckets[9];
    expect(last.count).toBe(3);
    expect(last.mean_confidence).toBeCloseTo(0.95, 12);
    expect(last.accuracy).toBeCloseTo(2 / 3, 12);
    // ECE = 1/4·|0 − 0.05| + 3/4·|2/3 − 0.95|
    expect(r.ece!).toBeCloseTo(0.25 * 0.05 + 0.75 * (0.95 - 2 / 3), 12);
    expect(reliability([]).ece).toBeNull();
  });
});

describe('threshold sweep', () => {
  const rows: SweepRow[] = [
    { confidence: 0.9, modelExact: true, heuristicExact: false, modelPass: true, baselinePass: false },
    { confidence: 0.7, modelExact: false, heuristicExact: true, modelPass: null, baselinePass: null },
    { confidence: 0.4, modelExact: null, heuristicExact: null, modelPass: false, baselinePass: true },
    { confidence: 0.2, modelExact: false, heuristicExact: false, modelPass: true, baselinePass: true },
  ];

  it('coverage and both policies on the decided rows; gated is the whole policy', () => {
    const p = sweepPoint(rows, 0.5);
    expect(p).toMatchObject({
      decided: 2,
      coverage: 0.5,
      model_exact_match: 0.5,
      heuristic_exact_match: 0.5,
      model_pass_rate: 1,
      baseline_pass_rate: 0,
    });
    // labelled rows: model on 0.9 (T), 0.7 (F); heuristic on 0.2 (F) → 1/3
    expect(p.gated_exact_match).toBeCloseTo(1 / 3, 12);
    // benched rows: model on 0.9 (T); baseline on 0.4 (T), 0.2 (T) → 3/3
    expect(p.gated_pass_rate).toBe(1);
    const none = sweepPoint(rows, 0.95);
    expect(none).toMatchObject({ decided: 0, coverage: 0, model_exact_match: null, model_pass_rate: null });
    expect(thresholdSweep(rows)).toHaveLength(21);
    expect(sweepPoint([], 0.5).coverage).toBeNull();
  });

  it('recommends the highest threshold (3 decimals, floored) that keeps the target coverage', () => {
    expect(recommendThreshold(rows, 0.5)).toMatchObject({ threshold: 0.7, coverage: 0.5, target_coverage: 0.5 });
    expect(recommendThreshold(rows, 0.6)).toMatchObject({ threshold: 0.4, coverage: 0.75 });
    expect(recommendThreshold(rows, 1)).toMatchObject({ threshold: 0.2, coverage: 1 });
    expect(recommendThreshold([{ ...rows[0], confidence: 0.12345 }], 1)!.threshold).toBe(0.123);
    expect(recommendThreshold([], 0.8)).toBeNull();
  });
});

describe('bootstrap', () => {
  it('is reproducible for a seed, and brackets the estimate', () => {
    const random = mulberry32(7);
    const rows = Array.from({ length: 200 }, () => ({
      model: Number(random() < 0.6),
      baseline: Number(random() < 0.5),
    }));
    const a = bootstrapMeanDiff(rows, 500, 3);
    expect(bootstrapMeanDiff(rows, 500, 3)).toEqual(a);
    expect(bootstrapMeanDiff(rows, 500, 4)).not.toEqual(a);
    expect(a.resamples).toBe(500);
    expect(a.low!).toBeLessThan(a.estimate!);
    expect(a.high!).toBeGreaterThan(a.estimate!);
    const exact = rows.reduce((s, r) => s + r.model - r.baseline, 0) / rows.length;
    expect(a.estimate).toBeCloseTo(exact, 12);
  });

  it('a constant difference has a zero-width interval; rows without a value are left out; none at all gives nulls', () => {
    const c = bootstrapMeanDiff(
      [
        { model: 3, baseline: 1 },
        { model: 5, baseline: 3 },
        { model: null, baseline: null },
      ],
      100,
      0,
    );
    expect(c.estimate).toBe(2);
    expect(c.low).toBe(2);
    expect(c.high).toBe(2);
    expect(c.resamples).toBeLessThanOrEqual(100);
    expect(bootstrapMeanDiff([], 100, 0)).toEqual({ estimate: null, low: null, high: null, resamples: 0, seed: 0 });
  });
});
