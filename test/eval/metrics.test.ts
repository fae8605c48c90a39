import { describe, expect, it } from 'vitest';
import { NA, type ActionTuple } from '../../core/action.js';
import { ActionSpace } from '../../core/action-space.js';
import { readArrayAction, readLabelAction } from '../../core/eval/action-data.js';
import { modelChoice } from '../../core/eval/candidate-choice.js';
import type { BenchCandidate } from '../../core/eval/dataset-reader.js';
import type { ModelRow } from '../../core/eval/model-predictions.js';
import { chosenOutcome, oracleIndex, outcomeMetrics } from '../../core/eval/outcome-metrics.js';
import { confidenceSummary, predictionMetrics } from '../../core/eval/prediction-metrics.js';

const t = (s: string, c: number | 'NA', m: number | 'NA', i: number | 'NA'): ActionTuple => ({
  swarm_id: s,
  max_candidates_bin: c,
  max_minutes_bin: m,
  max_iterations_bin: i,
});
const cand = (
  action: unknown,
  verified: boolean,
  durationMs: number | null,
  costUsd: number | null = null,
): BenchCandidate => ({
  action: readArrayAction(action),
  rawAction: action,
  verified,
  durationMs,
  costUsd,
});

describe('§13.1 prediction metrics', () => {
  it('per-head accuracy, exact match, swarm entropy and top-1 share on a hand-computed case', () => {
    const gold = t('serial_handoff', 1, 30, NA);
    const m = predictionMetrics([
      { predicted: t('serial_handoff', 1, 30, NA), gold }, // all four
      { predicted: t('serial_handoff', 1, 45, NA), gold }, // minutes wrong
      { predicted: t('speculate_vote', 2, 30, NA), gold }, // swarm and candidates wrong
      { predicted: t('serial_handoff', 1, 30, 1), gold }, // iterations wrong
    ]);
    expect(m.count).toBe(4);
    expect(m.acc_swarm).toBe(0.75);
    expect(m.acc_max_candidates).toBe(0.75);
    expect(m.acc_max_minutes).toBe(0.75);
    expect(m.acc_max_iterations).toBe(0.75);
    expect(m.exact_match).toBe(0.25);
    // predicted swarms: 3 serial, 1 speculate
    const entropy = -(0.75 * Math.log(0.75 + 1e-12) + 0.25 * Math.log(0.25 + 1e-12));
    expect(Math.abs(m.swarm_entropy - entropy)).toBeLessThan(1e-12);
    expect(Math.abs(m.swarm_entropy - 0.5623351446188083)).toBeLessThan(1e-9);
    expect(m.swarm_top1_freq).toBe(0.75);
  });

  it('no rows: every rate is 0; one swarm only: entropy is -ln(1 + 1e-12) as in Python', () => {
    expect(predictionMetrics([])).toEqual({
      count: 0,
      acc_swarm: 0,
      acc_max_candidates: 0,
      acc_max_minutes: 0,
      acc_max_iterations: 0,
      exact_match: 0,
      swarm_entropy: 0,
      swarm_top1_freq: 0,
    });
    const one = predictionMetrics([{ predicted: t('a', 1, 15, NA), gold: t('b', 1, 15, NA) }]);
    expect(one.swarm_entropy).toBeCloseTo(-Math.log(1 + 1e-12), 20);
    expect(one.swarm_top1_freq).toBe(1);
  });

  it('confidence summary uses numpy-linear percentiles; null when empty', () => {
    expect(confidenceSummary([0.1, 0.2, 0.3, 0.4, 0.5])).toEqual({
      mean: 0.3,
      p10: expect.closeTo(0.14, 12),
      p50: 0.3,
      p90: expect.closeTo(0.46, 12),
    });
    expect(confidenceSummary([])).toEqual({ mean: null, p10: null, p50: null, p90: null });
  });
});

describe('actions read as data', () => {
  it('bins that are not integers read as NA (any case, trimmed, or anything else); a bool is an int', () => {
    expect(
      readLabelAction({
        swarm_id: 's',
        budgets: { max_candidates_bin: ' na ', max_minutes_bin: 30.5, max_iterations_bin: null },
      }),
    ).toEqual(t('s', NA, NA, NA));
    expect(
      readLabelAction({
        swarm_id: 's',
        budgets: { max_candidates_bin: true, max_minutes_bin: 'x', max_iterations_bin: 7 },
      }),
    ).toEqual(t('s', 1, NA, 7));
  });

  it('a missing or empty swarm_id drops the label; unknown swarms are kept as data', () => {
    expect(readLabelAction({ budgets: {} })).toBeNull();
    expect(readLabelAction({ swarm_id: '', budgets: {} })).toBeNull();
    expect(readLabelAction('nope')).toBeNull();
    expect(readLabelAction({ swarm_id: 'swarm_from_the_future', budgets: { max_candidates_bin: 9 } })).toEqual(
      t('swarm_from_the_future', 9, NA, NA),
    );
    expect(readArrayAction(['serial_handoff', 1, 'NA'])).toBeNull();
  });
});

describe('§13.4 outcome metrics', () => {
  it('oracle: verified first, then shortest, then cheapest, then the smaller action text; 0 counts as missing (Python `or`)', () => {
    expect(oracleIndex([cand(['b', 1, 15, 'NA'], false, 10), cand(['a', 1, 15, 'NA'], true, 500)])).toBe(1);
    expect(oracleIndex([cand(['b', 1, 15, 'NA'], true, 100, 2), cand(['a', 1, 15, 'NA'], true, 100, 1)])).toBe(1);
    // full tie on verified, duration and cost: the smaller json.dumps text wins
    expect(
      oracleIndex([
        cand(['speculate_vote', 2, 30, 'NA'], true, 100, 1),
        cand(['serial_handoff', 1, 30, 'NA'], true, 100, 1),
      ]),
    ).toBe(1);
    // duration 0 reads as 2^31-1, so the 50 ms run wins
    expect(oracleIndex([cand(['a', 1, 15, 'NA'], true, 0), cand(['b', 1, 15, 'NA'], true, 50)])).toBe(1);
    // null duration also reads as 2^31-1
    expect(oracleIndex([cand(['a', 1, 15, 'NA'], true, null), cand(['b', 1, 15, 'NA'], true, 9e9)])).toBe(0);
  });

  it('a candidate list without a verified run: the oracle is the best failure, regret is undefined', () => {
    const list = [cand(['a', 1, 15, 'NA'], false, 300), cand(['b', 1, 15, 'NA'], false, 200)];
    expect(oracleIndex(list)).toBe(1);
    const o = chosenOutcome(list, 0);
    expect(o).toEqual({ verified: false, durationMs: 300, costUsd: null, oracleMatch: false, regretMs: null });
    expect(outcomeMetrics([o])).toEqual({
      examples: 1,
      pass_rate: 0,
      mean_time_to_pass_ms: null,
      duration_per_pass_ms: null,
      cost_per_pass_usd: null,
      oracle_match_rate: 0,
      mean_regret_ms: null,
    });
  });

  it('regret: chosen duration when it passed, else the largest candidate duration + 1, minus the oracle duration', () => {
    const list = [
      cand(['a', 1, 15, 'NA'], false, 900, 0.5),
      cand(['b', 1, 15, 'NA'], true, 400, 0.25),
      cand(['c', 1, 15, 'NA'], true, 600, 1),
    ];
    expect(chosenOutcome(list, 0).regretMs).toBe(901 - 400);
    expect(chosenOutcome(list, 1).regretMs).toBe(0);
    expect(chosenOutcome(list, 2).regretMs).toBe(200);
    const rows = [chosenOutcome(list, 0), chosenOutcome(list, 2)];
    const m = outcomeMetrics(rows);
    expect(m.examples).toBe(2);
    expect(m.pass_rate).toBe(0.5);
    expect(m.mean_time_to_pass_ms).toBe(600);
    expect(m.duration_per_pass_ms).toBe(1500); // (900 + 600) / 1 pass
    expect(m.cost_per_pass_usd).toBe(1.5); // (0.5 + 1) / 1 pass
    expect(m.oracle_match_rate).toBe(0);
    expect(m.mean_regret_ms).toBe((501 + 200) / 2);
  });

  it('empty: pass_rate 0, every other rate null', () => {
    expect(outcomeMetrics([])).toEqual({
      examples: 0,
      pass_rate: 0,
      mean_time_to_pass_ms: null,
      duration_per_pass_ms: null,
      cost_per_pass_usd: null,
      oracle_match_rate: null,
      mean_regret_ms: null,
    });
  });
});

describe('model choice among bench candidates', () => {
  const space = ActionSpace.defaults();
  // log-probabilities per head, by class index of the default space
  const row = (swarm: number[], candidates: number[], own: ActionTuple): ModelRow => ({
    action: own,
    confidence: 0.5,
    logits: {} as ModelRow['logits'],
    logp: { swarm, candidates, minutes: [-1, -1, -1, -1, -1, -1], iterations: [-1, -1, -1, -1, -1] },
  });

  it('picks the valid known candidate with the highest summed log-probability', () => {
    const list = [cand(['serial_handoff', 1, 30, 'NA'], true, 1), cand(['speculate_vote', 3, 30, 'NA'], true, 1)];
    expect(modelChoice(list, row([-2, -0.1], [-1, -1, -0.5, -1], t('x', 1, 1, NA)), space, 'code')).toBe(1);
    expect(modelChoice(list, row([-0.1, -2], [-1, -1, -0.5, -1], t('x', 1, 1, NA)), space, 'code')).toBe(0);
  });

  it('unknown swarms or bins and invalid actions never score; ties go to the smaller action text', () => {
    const list = [
      cand(['mystery_swarm', 1, 30, 'NA'], true, 1),
      cand(['serial_handoff', 1, 25, 'NA'], true, 1), // 25 is not a bin of the space
      cand(['serial_handoff', 2, 30, 'NA'], true, 1), // serial with 2 candidates is invalid
      cand(['serial_handoff', 1, 30, 1], true, 1), // code ⇒ iterations NA
      cand(['speculate_vote', 2, 30, 'NA'], true, 1),
      cand(['speculate_vote', 1, 30, 'NA'], true, 1),
    ];
    // both speculate candidates score the same: ["speculate_vote", 1, ...] < ["speculate_vote", 2, ...]
    expect(modelChoice(list, row([-5, -1], [-1, -1, -1, -1], t('x', 1, 1, NA)), space, 'code')).toBe(5);
  });

  it('none scores: the candidate equal to the model decode, else the first candidate', () => {
    const list = [
      cand(['mystery', 1, 30, 'NA'], true, 1),
      cand(['serial_handoff', 9, 30, 'NA'], true, 1),
      cand('not an array', true, 1),
    ];
    const own = t('serial_handoff', 9, 30, NA);
    expect(modelChoice(list, row([0, 0], [0, 0, 0, 0], own), space, 'code')).toBe(1);
    expect(modelChoice(list, row([0, 0], [0, 0, 0, 0], t('serial_handoff', 1, 15, NA)), space, 'code')).toBe(0);
  });
});
