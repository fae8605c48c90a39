import { describe, expect, it } from 'vitest';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
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
  run_id: id,
  started_ms: started,
  outcome: { status: 'success', fail_codes: [], gates: [] },
  action_executed: { swarm_id: null },
  runtime: { duration_ms: 0 },
  ...extra,
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
    expect(t.filter((s) => s.startsWith('[RUN_'))).toEqual([
      '[RUN_0]',
      '[RUN_1]',
      '[RUN_2]',
      '[RUN_3]',
      '[RUN_4]',
      '[RUN_5]',
      '[RUN_6]',
      '[RUN_7]',
    ]);
    // order check through durations: give each run a distinct bin
    const timed = [
      run('b', '2000', { runtime: { duration_ms: 5000 } }),
      run('a', 2000.9, { runtime: { duration_ms: 15000 } }),
      run('z', 3000, { runtime: { duration_ms: 500 } }),
      run('c', true, { runtime: { duration_ms: 45000 } }),
    ];
    const bins = tokenizePlannerInput(withRuns(a, timed)).filter((s) => s.startsWith('[VAL:DURATION_BIN:'));
    expect(bins).toEqual([
      '[VAL:DURATION_BIN:LT_1S]',
      '[VAL:DURATION_BIN:10_30S]',
      '[VAL:DURATION_BIN:1_10S]',
      '[VAL:DURATION_BIN:30_60S]',
    ]);
  });

  it('a non-numeric started_ms is a coded error', () => {
    expect(() => tokenizePlannerInput(withRuns(a, [run('x', 'yesterday')]))).toThrow(
      expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }),
    );
  });

  it('fail codes and failing gates: filter first, then the first 8 (an empty item uses up no slot)', () => {
    const codes = ['', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
    const gates = [
      { name: 'ok', passed: true },
      ...Array.from({ length: 10 }, (_, i) => ({ name: `g${i}`, passed: false })),
      { name: 'x', passed: 0 },
    ];
    const t = tokenizePlannerInput(
      withRuns(a, [run('r', 1, { outcome: { status: 'failed', fail_codes: codes, gates } })]),
    );
    expect(t.filter((s) => s.startsWith('[FAIL_HASH_'))).toHaveLength(8); // c1..c8; the old slice-then-filter kept 7
    expect(t.filter((s) => s.startsWith('[GATE_HASH_'))).toHaveLength(8);
  });

  it('duration bins: ints ≥ 0 only (bools count); edges in seconds', () => {
    const cases: [unknown, string | null][] = [
      [999, 'LT_1S'],
      [1000, '1_10S'],
      [29_999, '10_30S'],
      [59_999, '30_60S'],
      [60_000, '1_5M'],
      [299_999, '1_5M'],
      [1_799_999, '5_30M'],
      [1_800_000, 'GE_30M'],
      [true, 'LT_1S'],
      [-1, null],
      [1.5, null],
      ['100', null],
      [null, null],
    ];
    for (const [ms, bin] of cases) {
      const t = tokenizePlannerInput(withRuns(a, [run('r', 1, { runtime: { duration_ms: ms } })]));
      expect(t.find((s) => s.startsWith('[VAL:DURATION_BIN:')) ?? null).toBe(
        bin === null ? null : `[VAL:DURATION_BIN:${bin}]`,
      );
    }
  });

  it('truncates a run block at max_tokens_per_run_summary', () => {
    const t = tokenizePlannerInput(
      withRuns(a, [run('r', 1, { outcome: { status: 'failed', fail_codes: ['a', 'b', 'c'], gates: [] } })]),
      { maxTokensPerRunSummary: 5 },
    );
    expect(t.slice(t.indexOf('[RUN_0]'))).toEqual([
      '[RUN_0]',
      '[KEY:OUTCOME_STATUS]',
      '[=]',
      '[VAL:STATUS:failed]',
      '[KEY:EXEC_SWARM_ID]',
      '[EOS]',
    ]);
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

// Issue 12 goldens, derived by hand from reference §3.A (not from this encoder). Bucket numbers were computed with
// Python's hashlib from the definition `uint64_be(sha256(salt + ":" + value)[0..8]) mod 1024`:
//   fail: c1 634, c2 365, c3 54, c4 930, c5 390, c6 769, c7 493, c8 717, c9 468, a 163, b 490
//   gate: g1 427, g2 938, g3 426, g4 103, g5 987, g6 172, g7 504, g8 717, g9 347, ' ' 748
describe('tokens.v1 rules of issue 12 (fixtures/encoders/inputs/rule-*.json)', () => {
  const A_UNTIL_ISSUE_SEP = WORKED_A.slice(0, -1); // worked (a) without its [EOS]: ends with the issue section's [SEP]

  it('rule-fail-codes: filter, then first 8, then the set (an empty code uses no slot, a duplicate uses one)', () => {
    const expected = [
      ...A_UNTIL_ISSUE_SEP,
      '[SEP]', // system_state null still appends its [SEP]
      ...split(
        '[RUN_0] [KEY:OUTCOME_STATUS] [=] [VAL:STATUS:failed] [KEY:EXEC_SWARM_ID] [=] [VAL:SWARM_ID:speculate_vote] [KEY:DURATION_BIN] [=] [VAL:DURATION_BIN:1_10S]',
      ),
      // ["", c1..c9] → c1..c8 (c9 is the ninth non-empty code), string-sorted
      ...split(
        '[KEY:FAIL_CODES] [=] [FAIL_HASH_365] [FAIL_HASH_390] [FAIL_HASH_493] [FAIL_HASH_54] [FAIL_HASH_634] [FAIL_HASH_717] [FAIL_HASH_769] [FAIL_HASH_930]',
      ),
      // passed gates and the empty name are filtered out first; " " is a non-empty name (no trimming); g8, g9 fall off
      ...split(
        '[KEY:FAIL_GATES] [=] [GATE_HASH_103] [GATE_HASH_172] [GATE_HASH_426] [GATE_HASH_427] [GATE_HASH_504] [GATE_HASH_748] [GATE_HASH_938] [GATE_HASH_987] [SEP]',
      ),
      // ["a" x 8, "b"]: the first 8 are all "a", so "b" is dropped and the set holds one token
      ...split(
        '[RUN_1] [KEY:OUTCOME_STATUS] [=] [VAL:STATUS:failed] [KEY:EXEC_SWARM_ID] [=] [VAL:SWARM_ID:serial_handoff] [KEY:DURATION_BIN] [=] [VAL:DURATION_BIN:LT_1S] [KEY:FAIL_CODES] [=] [FAIL_HASH_163] [EOS]',
      ),
    ];
    expect(tokenizePlannerInput(loadInput('rule-fail-codes'))).toEqual(expected);
  });

  it('rule-toolchains: ["", ""] gives the key and [=] with no value', () => {
    const expected = [
      ...A_UNTIL_ISSUE_SEP,
      ...split(
        '[KEY:ACTIVE_WORKCELLS_BIN] [=] [VAL:BIN:0] [KEY:QUEUE_DEPTH_BIN] [=] [VAL:BIN:NONE] [KEY:HOUR_BUCKET] [=] [VAL:HOUR:23] [KEY:BUDGET_REMAINING_BIN] [=] [VAL:BIN:NONE] [KEY:AVAILABLE_TOOLCHAINS] [=] [EOS]',
      ),
    ];
    expect(tokenizePlannerInput(loadInput('rule-toolchains'))).toEqual(expected);
  });

  it('rule-empty-job-type: the token is [VAL:JOB_TYPE:NONE] (safe_str), everything else as worked (a)', () => {
    const expected = [...WORKED_A];
    expected[expected.indexOf('[VAL:JOB_TYPE:code]')] = '[VAL:JOB_TYPE:NONE]';
    expect(tokenizePlannerInput(loadInput('rule-empty-job-type'))).toEqual(expected);
  });

  it('the rule fixtures are schema-valid planner_input.v1 (these are the inputs the CLI accepts)', () => {
    const schemas = new SchemaRegistry();
    for (const name of ['rule-fail-codes', 'rule-toolchains', 'rule-empty-job-type']) {
      expect(schemas.validate(SchemaIds.plannerInput, loadInput(name)).valid, name).toBe(true);
    }
  });
});
