import { describe, expect, it } from 'vitest';
import { jaccard, recency, selectSimilarRuns, similarityScore } from '../../core/kernel/similar-runs.js';
import type { RunSummary } from '../../core/planner-input-types.js';

const DAY = 86_400_000;
const NOW = 100 * DAY;

function run(id: string, started: number, tags: string[], extra: Partial<RunSummary> = {}): RunSummary {
  return {
    run_id: id,
    started_ms: started,
    job_type: 'code',
    domain: 'code',
    action_executed: { swarm_id: null, max_candidates: null, max_minutes: null, max_iterations: null },
    outcome: { status: 'failed', fail_codes: ['exit_1'], gates: [{ name: 'lint', passed: false }] },
    runtime: { duration_ms: 1 },
    tags,
    ...extra,
  };
}

describe('similar runs (reference §9)', () => {
  it('scores 0.6·Jaccard(tags) + 0.1·recency; the failure term is always 0', () => {
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect([0, 1, 3, 7, 29, 30].map((d) => recency(d * DAY + 1))).toEqual([1, 1 / 2, 1 / 2, 1 / 3, 1 / 3, 1 / 4]);
    expect(
      similarityScore({ jobType: 'code', startedMs: NOW, tags: ['a', 'b'] }, run('r', NOW - 2 * DAY, ['b', 'c'])),
    ).toBeCloseTo(0.6 / 3 + 0.1 / 2);
  });

  it('filters job type and the future, keeps the top 8 by score and returns them most recent first', () => {
    const runs: RunSummary[] = [
      run('future', NOW, ['a']),
      run('world', NOW - 1, ['a'], { job_type: 'fab-world' }),
      ...Array.from({ length: 8 }, (_, i) => run(`match-${i}`, NOW - (40 + i) * DAY, ['a'])), // score 0.6 + 0.025
      run('recent-nomatch', NOW - 1000, ['z']), // score 0.1: loses to the tag matches
      run('tie-b', NOW - 50 * DAY, ['a']),
      run('tie-a', NOW - 50 * DAY, ['a']),
    ];
    const picked = selectSimilarRuns({ jobType: 'code', startedMs: NOW, tags: ['a'] }, runs);
    expect(picked).toHaveLength(8);
    expect(picked.map((r) => r.run_id)).toEqual([
      'match-0',
      'match-1',
      'match-2',
      'match-3',
      'match-4',
      'match-5',
      'match-6',
      'match-7',
    ]);
    const withTies = selectSimilarRuns({ jobType: 'code', startedMs: NOW, tags: ['a'] }, runs, 10);
    expect(withTies.slice(-2).map((r) => r.run_id)).toEqual(['tie-a', 'tie-b']);
    // the best-scoring run is older than the runner-up: selection by score, order by recency
    const two = selectSimilarRuns(
      { jobType: 'code', startedMs: NOW, tags: ['a'] },
      [
        run('old-match', NOW - 40 * DAY, ['a']),
        run('new-miss', NOW - 1000, ['z']),
        run('older-miss', NOW - 2 * DAY, []),
      ],
      2,
    );
    expect(two.map((r) => r.run_id)).toEqual(['new-miss', 'old-match']);
    expect(selectSimilarRuns({ jobType: 'fab-world', startedMs: NOW, tags: [] }, runs).map((r) => r.run_id)).toEqual([
      'world',
    ]);
  });
});
