import { describe, expect, it } from 'vitest';
import { tokenizePlannerInput } from '../../core/encoders/tokenize.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { clone, loadInput } from './load-fixture.js';

const split = (s: string): string[] => s.split(' ');

// Reference §3.A worked sequence (a), copied literally.
const WORKED_A = split(
  '[BOS] [KEY:UNIVERSE_ID] [=] [VAL:UNIVERSE_ID:medica] [KEY:JOB_TYPE] [=] [VAL:JOB_TYPE:code] [KEY:DEFAULT_SWARM_ID] [=] [VAL:SWARM_ID:speculate_vote] [KEY:DEFAULT_OBJECTIVE] [=] [KW_HASH_242] [SEP] [KEY:DK_PRIORITY] [=] [VAL:DK_PRIORITY:P1] [KEY:DK_RISK] [=] [VAL:DK_RISK:high] [KEY:DK_SIZE] [=] [VAL:DK_SIZE:M] [KEY:DK_TOOL_HINT] [=] [VAL:TOOLCHAIN:codex] [KEY:TAGS] [=] [TAG_HASH_208] [TAG_HASH_845] [KEY:KEYWORDS] [=] [KW_HASH_279] [KW_HASH_768] [SEP] [EOS]',
);
// (b) = (a) up to and including [TAG_HASH_845], then the reference's continuation, copied literally.
const WORKED_B = [
  ...WORKED_A.slice(0, WORKED_A.indexOf('[TAG_HASH_845]') + 1),
  ...split(
    '[KEY:KEYWORDS] [=] [KW_HASH_279] [KW_HASH_371] [KW_HASH_516] [KW_HASH_570] [KW_HASH_768] [SEP] [KEY:ACTIVE_WORKCELLS_BIN] [=] [VAL:BIN:1_2] [KEY:QUEUE_DEPTH_BIN] [=] [VAL:BIN:NONE] [KEY:HOUR_BUCKET] [=] [VAL:HOUR:07] [KEY:BUDGET_REMAINING_BIN] [=] [VAL:BIN:NONE] [KEY:AVAILABLE_TOOLCHAINS] [=] [VAL:TOOLCHAIN:claude] [VAL:TOOLCHAIN:codex] [SEP] [RUN_0] [KEY:OUTCOME_STATUS] [=] [VAL:STATUS:success] [KEY:EXEC_SWARM_ID] [=] [VAL:SWARM_ID:speculate_vote] [KEY:DURATION_BIN] [=] [VAL:DURATION_BIN:5_30M] [SEP] [RUN_1] [KEY:OUTCOME_STATUS] [=] [VAL:STATUS:failed] [KEY:EXEC_SWARM_ID] [=] [VAL:SWARM_ID:serial_handoff] [KEY:DURATION_BIN] [=] [VAL:DURATION_BIN:30_60S] [KEY:FAIL_CODES] [=] [FAIL_HASH_294] [KEY:FAIL_GATES] [=] [GATE_HASH_123] [EOS]',
  ),
];

function withRuns(base: PlannerInputV1, runs: unknown[]): PlannerInputV1 {
  const x = clone(base);
  (x.history as { last_n_similar_runs: unknown[] }).last_n_similar_runs = runs;
  return x;
}

const run = (id: unknown, started: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  run_id: id, started_ms: started, outcome: { status: 'success', fail_codes: [], gates: [] }, action_executed: { swarm_id: null }, runtime: { duration_ms: 0 }, ...extra,
});

describe('tokenizePlannerInput: reference worked examples', () => {
  it('(a) 36 tokens, the two trailing [SEP]s become one', () => {
    const t = tokenizePlannerInput(loadInput('worked-a'));
    expect(t).toEqual(WORKED_A);
    expect(t).toHaveLength(36);
  });

  it('(b) keywords from title+description, system state, two runs most recent first', () => {
    expect(tokenizePlannerInput(loadInput('worked-b'))).toEqual(WORKED_B);
  });

  it('is order-invariant for tags and deterministic', () => {
    const a = loadInput('worked-a');
    const swapped = clone(a);
    swapped.issue.tags = ['a', 'b', 'a'];
    expect(tokenizePlannerInput(swapped)).toEqual(tokenizePlannerInput(a));
  });
});

describe('tokenizePlannerInput: the awkward parts', () => {
  const a = loadInput('worked-a');

  it('strips with Python whitespace, and \\uFEFF is not whitespace', () => {
    const x = clone(a);
    x.universe_id = '\x1c medica \x85';
    x.issue.dk_tool_hint = '\uFEFF';
    const t = tokenizePlannerInput(x);
    expect(t[3]).toBe('[VAL:UNIVERSE_ID:medica]');
    expect(t).toContain('[VAL:TOOLCHAIN:\uFEFF]');
    x.universe_id = ' \x1f ';
    expect(tokenizePlannerInput(x)[3]).toBe('[VAL:UNIVERSE_ID:NONE]');
  });

  it('tags are not trimmed; non-strings and empty strings are dropped; hash tokens sort as strings', () => {
    const x = clone(a);
    (x.issue as Record<string, unknown>).tags = [' a', '', 5, null, 'a'];
    const t = tokenizePlannerInput(x);
    const tags = t.slice(t.indexOf('[KEY:TAGS]') + 2, t.indexOf('[KEY:KEYWORDS]'));
    expect(tags).toHaveLength(2); // ' a' and 'a' hash differently
    expect([...tags].sort()).toEqual(tags);
  });

  it('sorts runs by (-int(started_ms or 0), str(run_id or "")) and keeps 8', () => {
    const runs = [run('b', '2000'), run('a', 2000.9), run('c', true), run(null, null), run('z', 3000)];
    for (let i = 0; i < 6; i++) runs.push(run(`old-${i}`, 0));
    const t = tokenizePlannerInput(withRuns(a, runs));
    expect(t.filter((s) => s.startsWith('[RUN_'))).toEqual(['[RUN_0]', '[RUN_1]', '[RUN_2]', '[RUN_3]', '[RUN_4]', '[RUN_5]', '[RUN_6]', '[RUN_7]']);
    // order check through durations: give each run a distinct bin
    const timed = [run('b', '2000', { runtime: { duration_ms: 5000 } }), run('a', 2000.9, { runtime: { duration_ms: 15000 } }), run('z', 3000, { runtime: { duration_ms: 500 } }), run('c', true, { runtime: { duration_ms: 45000 } })];
    const bins = tokenizePlannerInput(withRuns(a, timed)).filter((s) => s.startsWith('[VAL:DURATION_BIN:'));
    expect(bins).toEqual(['[VAL:DURATION_BIN:LT_1S]', '[VAL:DURATION_BIN:10_30S]', '[VAL:DURATION_BIN:1_10S]', '[VAL:DURATION_BIN:30_60S]']);
  });

  it('a non-numeric started_ms is a coded error', () => {
    expect(() => tokenizePlannerInput(withRuns(a, [run('x', 'yesterday')]))).toThrow(expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }));
  });

  it('fail codes: the list\'s first 8 then filtered; failing gates: the first 8 failing ones', () => {
    const codes = ['', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
    const gates = [{ name: 'ok', passed: true }, ...Array.from({ length: 10 }, (_, i) => ({ name: `g${i}`, passed: false })), { name: 'x', passed: 0 }];
    const t = tokenizePlannerInput(withRuns(a, [run('r', 1, { outcome: { status: 'failed', fail_codes: codes, gates } })]));
    expect(t.filter((s) => s.startsWith('[FAIL_HASH_'))).toHaveLength(7);
    expect(t.filter((s) => s.startsWith('[GATE_HASH_'))).toHaveLength(8);
  });

  it('duration bins: ints ≥ 0 only (bools count); edges in seconds', () => {
    const cases: [unknown, string | null][] = [[999, 'LT_1S'], [1000, '1_10S'], [29_999, '10_30S'], [59_999, '30_60S'], [60_000, '1_5M'], [299_999, '1_5M'], [1_799_999, '5_30M'], [1_800_000, 'GE_30M'], [true, 'LT_1S'], [-1, null], [1.5, null], ['100', null], [null, null]];
    for (const [ms, bin] of cases) {
      const t = tokenizePlannerInput(withRuns(a, [run('r', 1, { runtime: { duration_ms: ms } })]));
      expect(t.find((s) => s.startsWith('[VAL:DURATION_BIN:')) ?? null).toBe(bin === null ? null : `[VAL:DURATION_BIN:${bin}]`);
    }
  });

  it('truncates a run block at max_tokens_per_run_summary', () => {
    const t = tokenizePlannerInput(withRuns(a, [run('r', 1, { outcome: { status: 'failed', fail_codes: ['a', 'b', 'c'], gates: [] } })]), { maxTokensPerRunSummary: 5 });
    expect(t.slice(t.indexOf('[RUN_0]'))).toEqual(['[RUN_0]', '[KEY:OUTCOME_STATUS]', '[=]', '[VAL:STATUS:failed]', '[KEY:EXEC_SWARM_ID]', '[EOS]']);
  });

  it('caps at 1024 tokens; the [EOS] falls off', () => {
    const x = clone(a);
    x.issue.tags = Array.from({ length: 5000 }, (_, i) => `tag-${i}`);
    const t = tokenizePlannerInput(x);
    expect(t).toHaveLength(1024);
    expect(t[1023]).not.toBe('[EOS]');
    expect(t.filter((s) => s.startsWith('[TAG_HASH_')).length).toBeGreaterThan(990);
  });

  it('stops adding runs once the total reaches max_tokens, then pops one [SEP] and appends [EOS]', () => {
    const runs = Array.from({ length: 8 }, (_, i) => run(`r${i}`, 100 - i));
    const full = tokenizePlannerInput(withRuns(a, runs));
    const sepAt = full.indexOf('[RUN_1]'); // first run block ends at sepAt - 1 with [SEP]
    const t = tokenizePlannerInput(withRuns(a, runs), { maxTokens: sepAt });
    expect(t).toHaveLength(sepAt); // [SEP] popped, [EOS] added
    expect(t[t.length - 1]).toBe('[EOS]');
    expect(t).not.toContain('[RUN_1]');
  });
});
