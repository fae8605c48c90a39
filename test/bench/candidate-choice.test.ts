import { describe, expect, it } from 'vitest';
import { tupleJson } from '../../core/action.js';
import { ActionSpace } from '../../core/action-space.js';
import { benchBaseline, chooseCandidates, mulberry32 } from '../../core/bench/candidate-choice.js';
import { benchConfigHash, pickWinner, type BenchCandidate } from '../../core/bench/bench-records.js';

const space = ActionSpace.defaults();
const choose = (over: Partial<Parameters<typeof chooseCandidates>[0]> = {}) =>
  chooseCandidates({ space, jobType: 'code', k: 6, seed: 0, issueIndex: 0, defaultSwarm: null, ...over });

describe('best-of-k candidate choice', () => {
  it('baseline first, then the first valid action of the other swarm, then K distinct valid actions', () => {
    const c = choose();
    expect(c).toHaveLength(6);
    expect(c[0]).toEqual({
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: 'NA',
      max_iterations_bin: 'NA',
    });
    expect(c[1]).toEqual({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 1,
      max_minutes_bin: 15,
      max_iterations_bin: 'NA',
    });
    expect(new Set(c.map(tupleJson)).size).toBe(6);
    for (const t of c) expect(space.isValid('code', t)).toBe(true);
  });

  it('a speculate_vote default swarm gives (speculate_vote, NA, NA, NA) and serial_handoff second', () => {
    const c = choose({ defaultSwarm: 'speculate_vote' });
    expect(c[0]).toEqual({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 'NA',
      max_minutes_bin: 'NA',
      max_iterations_bin: 'NA',
    });
    expect(c[1].swarm_id).toBe('serial_handoff');
    expect(benchBaseline(space, 'unknown_swarm').swarm_id).toBe('serial_handoff');
  });

  it('is deterministic per (seed + issue index); other seeds shuffle differently', () => {
    expect(choose({ seed: 3, issueIndex: 4 })).toEqual(choose({ seed: 4, issueIndex: 3 }));
    expect(choose({ seed: 3, issueIndex: 4 })).toEqual(choose({ seed: 3, issueIndex: 4 }));
    expect(choose({ seed: 1 }).slice(2)).not.toEqual(choose({ seed: 2 }).slice(2));
  });

  it('K above the number of valid actions takes every valid action once', () => {
    const c = choose({ k: 100 });
    expect(c).toHaveLength(30);
    expect(new Set(c.map(tupleJson)).size).toBe(30);
    expect(
      chooseCandidates({ space, jobType: 'fab-world', k: 500, seed: 0, issueIndex: 0, defaultSwarm: null }),
    ).toHaveLength(120);
  });

  it('mulberry32 is reproducible and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

const cand = (
  action: BenchCandidate['action'],
  verified: boolean,
  duration: number | null,
  cost: number | null,
): BenchCandidate => ({
  action,
  verified,
  status: verified ? 'success' : 'failed',
  duration_ms: duration,
  cost_usd: cost,
  workcell_id: String(action),
  details: {},
});

describe('best-of-k winner and config hash', () => {
  it('verified first, then duration, then cost, then action text; nulls rank last', () => {
    const fast = cand(['speculate_vote', 3, 15, 'NA'], false, 10, 0.1);
    const slow = cand(['serial_handoff', 1, 60, 'NA'], true, 5000, 1);
    const quick = cand(['serial_handoff', 1, 30, 'NA'], true, 4000, 9);
    expect(pickWinner([fast, slow, quick])).toBe(quick);
    const noDuration = cand(['serial_handoff', 1, 15, 'NA'], true, null, 0);
    expect(pickWinner([noDuration, slow])).toBe(slow);
    const cheap = cand(['speculate_vote', 2, 30, 'NA'], true, 4000, 1);
    expect(pickWinner([quick, cheap])).toBe(cheap);
    const a = cand(['speculate_vote', 2, 120, 'NA'], true, 4000, null);
    const b = cand(['speculate_vote', 2, 15, 'NA'], true, 4000, null);
    expect(pickWinner([b, a])).toBe(a); // '["speculate_vote", 2, 120, "NA"]' < '["speculate_vote", 2, 15, "NA"]'
    expect(pickWinner([fast, cand(['serial_handoff', 1, 15, 'NA'], false, null, null)])).toBe(fast);
    expect(pickWinner([])).toBeNull();
  });

  it('bench_config_hash is SHA-256 of the canonical JSON (hash computed independently with Python hashlib/json)', () => {
    const hash = benchConfigHash({
      universe_id: 'demo',
      universe_defaults: { swarm_id: null, objective_id: null },
      action_space: { swarm_ids: ['serial_handoff'] },
      k: 6,
      seed: 0,
      sampling: 's',
      toolchain_override: null,
    });
    expect(hash).toBe('db9f801cd22db234a4711bafac78fafc82e5e390373c36132c0eb99d9e0ec382');
  });
});
