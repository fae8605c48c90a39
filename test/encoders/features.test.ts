import { describe, expect, it } from 'vitest';
import { FEATURES_V1_DIM, createFeaturesEncoder, encodeFeatures } from '../../core/encoders/features-encoder.js';
import * as L from '../../core/encoders/features-layout.js';
import { parseRfc3339Strict } from '../../core/encoders/strict-rfc3339.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { clone, loadInput, sparse } from './load-fixture.js';

const ones = (indices: number[]): [number, number][] => indices.sort((a, b) => a - b).map((i) => [i, 1]);

// Hand-derived from docs/features-v1.md (not from the encoder): fixtures/encoders/inputs/hand-small.json.
const HAND_SMALL = [
  0,
  4,
  8,
  16,
  27,
  28 + 208, // P0, low, XS, attempts 3+, tool hint null, tag "a" (bucket 208)
  1052,
  1055,
  1058,
  1061,
  1070,
  1075,
  1077, // code, code, serial, cand 1, minutes NA, iterations NA, failed
  1052 + 27 + 38,
  1052 + 283 + 16,
  1052 + 315,
  1052 + 321 + 5,
  1052 + 327 + 1,
  1052 + 331, // fail lint (256-bucket 38), pytest present, <1m, cost null, week, valid
  3708,
  3709,
  3716,
  3717,
  3718,
  3719,
  3724,
  3725,
  3726,
  3727,
  3728,
  3729,
  3732,
  3733,
  3734,
  3735,
  3736, // default action space
  3742,
  3753, // default swarm null, objective null
];

// Hand-derived: fixtures/encoders/inputs/hand-system.json.
const HAND_SYSTEM = [
  7,
  12,
  14,
  17 + 8, // critical, XL, attempts 1, tool hint "codex" (10-bucket 8); P9 → zeros
  1053,
  1056,
  1063,
  1069,
  1073,
  1078, // fab-world, fab_world, cand 5→3, minutes 100→120, iterations 4→3 (tie lower), timeout
  1052 + 283 + 18,
  1052 + 283 + 24,
  1052 + 283 + 25,
  1052 + 315 + 5,
  1052 + 321 + 2,
  1052 + 331, // render present (not all passed), test present+passed, ≥60m, cost 0.5, valid; recency zeros (bad created_at)
  3708,
  3715,
  3724,
  3731,
  3719, // swarm serial + other, minutes 15 + other, candidates " na " → NA
  3741,
  3743 + 4, // default swarm speculate, objective (10-bucket 4)
  3755,
  3763,
  3765,
  3773,
  3774,
  3775,
  3778, // 1_2, queue null, morning, budget null, codex, claude, present
];

describe('features.v1 layout', () => {
  it('blocks add up to 3779 at the documented offsets', () => {
    expect(FEATURES_V1_DIM).toBe(3779);
    expect(L.ISSUE_SIZE).toBe(4 + 4 + 5 + 4 + 11 + 1024);
    expect(L.HISTORY_OFFSET).toBe(1052);
    expect(L.SLOT.valid + 1).toBe(L.SLOT_SIZE);
    expect(L.SLOT_SIZE).toBe(3 + 3 + 3 + 4 + 6 + 5 + 3 + 256 + 32 + 6 + 6 + 4 + 1);
    expect(L.ACTION_SPACE_OFFSET).toBe(1052 + 8 * 332);
    expect(L.UNIVERSE_OFFSET).toBe(3708 + 32);
    expect(L.SYSTEM_OFFSET).toBe(3740 + 14);
    expect(L.SYSTEM_PRESENT_INDEX).toBe(3778);
    expect(L.KNOWN_GATES).toHaveLength(16);
  });
});

describe('encodeFeatures: hand-computed vectors', () => {
  it('hand-small', () => {
    expect(sparse(encodeFeatures(loadInput('hand-small')))).toEqual(ones(HAND_SMALL));
  });

  it('hand-system', () => {
    expect(sparse(encodeFeatures(loadInput('hand-system')))).toEqual(ones(HAND_SYSTEM));
  });
});

describe('encodeFeatures: rules', () => {
  const base = loadInput('hand-small');
  const slot0 = (v: Float32Array, from: number, n: number): number[] =>
    Array.from(v.subarray(1052 + from, 1052 + from + n));

  it('history: most recent first (started_ms desc, run_id asc), 8 slots, the rest truncated', () => {
    const x = clone(base);
    const runs = Array.from({ length: 12 }, (_, i) => ({
      run_id: `r${i}`,
      started_ms: 1000 + i,
      outcome: { status: i === 11 ? 'timeout' : 'success' },
    }));
    (x.history as { last_n_similar_runs: unknown[] }).last_n_similar_runs = runs;
    const v = encodeFeatures(x);
    expect(v[1052 + 24 + 2]).toBe(1); // slot 0 is r11 (timeout)
    for (let k = 0; k < 8; k++) expect(v[1052 + k * 332 + 331]).toBe(1);
    expect(sparse(v).filter(([i]) => i >= 1052 && i < 3708 && (i - 1052) % 332 === 331)).toHaveLength(8);
  });

  it('recency is relative to created_at; no clock', () => {
    const x = clone(base);
    const age = (days: number): number[] => {
      x.history.last_n_similar_runs[0].started_ms = 1700000000000 - days * 86_400_000;
      return slot0(encodeFeatures(x), 327, 4);
    };
    expect(age(0.5)).toEqual([1, 0, 0, 0]);
    expect(age(-3)).toEqual([1, 0, 0, 0]);
    expect(age(6.9)).toEqual([0, 1, 0, 0]);
    expect(age(29)).toEqual([0, 0, 1, 0]);
    expect(age(30)).toEqual([0, 0, 0, 1]);
    x.created_at = '2023-11-14 22:13:20+25:00';
    expect(age(0)).toEqual([0, 0, 0, 0]);
  });

  it('tags: distinct, code-point sorted, first 8; order-invariant', () => {
    const x = clone(base);
    x.issue.tags = ['j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a', 'a'];
    const v = encodeFeatures(x);
    const y = clone(x);
    y.issue.tags = [...x.issue.tags].reverse();
    expect(sparse(encodeFeatures(y))).toEqual(sparse(v));
    const tagOnes = sparse(v).filter(([i]) => i >= 28 && i < 1052).length;
    expect(tagOnes).toBeLessThanOrEqual(8);
    expect(v[28 + 208]).toBe(1); // "a" is among the first 8
  });

  it('duration and cost edges', () => {
    const x = clone(base);
    const dur = (ms: unknown): number[] => {
      (x.history.last_n_similar_runs[0].runtime as { duration_ms: unknown }).duration_ms = ms;
      return slot0(encodeFeatures(x), 315, 6);
    };
    expect(dur(59_999)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(dur(60_000)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(dur(899_999)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(dur(1_800_000)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(dur(NaN)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(dur(-5)).toEqual([0, 0, 0, 0, 0, 0]);
    const cost = (usd: unknown): number[] => {
      x.history.last_n_similar_runs[0].cost_usd_est = usd as number;
      return slot0(encodeFeatures(x), 321, 6);
    };
    expect(cost(0)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(cost(0.01)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(cost(10)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(cost(null)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(cost(Infinity)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('hour buckets', () => {
    const x = loadInput('hand-system');
    const hour = (h: unknown): number[] => {
      (x.system_state as { hour_bucket: unknown }).hour_bucket = h;
      return Array.from(encodeFeatures(x).subarray(3764, 3769));
    };
    expect(hour('00')).toEqual([1, 0, 0, 0, 0]);
    expect(hour('11')).toEqual([0, 1, 0, 0, 0]);
    expect(hour('12')).toEqual([0, 0, 1, 0, 0]);
    expect(hour('23')).toEqual([0, 0, 0, 1, 0]);
    expect(hour(null)).toEqual([0, 0, 0, 0, 1]);
    expect(hour('24')).toEqual([0, 0, 0, 0, 0]);
    expect(hour('7')).toEqual([0, 0, 0, 0, 0]);
  });

  it('a null system_state leaves the whole block zero', () => {
    const v = encodeFeatures(loadInput('hand-small'));
    expect(Array.from(v.subarray(3754)).every((x) => x === 0)).toBe(true);
  });
});

describe('createFeaturesEncoder', () => {
  it('batches rows equal to single encodes', () => {
    const inputs = [loadInput('hand-small'), loadInput('hand-system'), loadInput('worked-b')];
    const batch = createFeaturesEncoder().encodeBatch(inputs);
    if (batch.kind !== 'features') throw new Error('expected features');
    expect([batch.size, batch.dIn, batch.data.length]).toEqual([3, 3779, 3 * 3779]);
    inputs.forEach((input, row) =>
      expect(Array.from(batch.data.subarray(row * 3779, (row + 1) * 3779))).toEqual(Array.from(encodeFeatures(input))),
    );
  });

  it('refuses a d_in other than 3779', () => {
    expect(() => createFeaturesEncoder({ dIn: 3780 })).toThrow(
      expect.objectContaining({ code: 'ENCODER_DIM_MISMATCH' }),
    );
    expect(createFeaturesEncoder({ dIn: 3779 }).id).toBe('features.v1');
  });

  it('rejects a non-object input with ENCODER_INVALID_INPUT', () => {
    expect(() => createFeaturesEncoder().encodeBatch([null as unknown as PlannerInputV1])).toThrow(
      expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }),
    );
  });
});

describe('parseRfc3339Strict', () => {
  it('parses the forms the planner writes, and offsets', () => {
    expect(parseRfc3339Strict('2023-11-14T22:13:20Z')).toBe(1700000000000);
    expect(parseRfc3339Strict('2023-11-14T22:13:20.123000Z')).toBe(1700000000123);
    expect(parseRfc3339Strict('2023-11-14T23:13:20.1239+01:00')).toBe(1700000000123);
    expect(parseRfc3339Strict('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339Strict('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2023-11-14',
    '2023-11-14T22:13:20',
    '2023-11-14T24:00:00Z',
    'x',
    '',
    '2023-11-14T22:13:60Z',
  ])('rejects %j', (s) => {
    expect(parseRfc3339Strict(s)).toBeNull();
  });
});
