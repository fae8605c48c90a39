/**
 * Issue 12 sweep of reference §3.A, §4 and §7.1 for the ambiguities that broke parity before: filter-then-truncate
 * order, falsy vs missing, and trimming. One case per edge; expectations are derived from the reference text, with
 * hash buckets computed by Python's hashlib from `uint64_be(sha256(salt + ":" + value)[0..8]) mod 1024`:
 *   tag: ' ' 130, a 208, ' a' 988, b 845, U+FEFF 438 · kw: realism_perf_v1 242, walkable 279, Walkable 774,
 *   library 768, lighting 516, dark 570, too 371 · fail: ' ' 37, a 163, b 490 · gate: ' ' 748
 */
import { describe, expect, it } from 'vitest';
import { ActionSpace, parseBins } from '../../core/action-space.js';
import { parseCalibration } from '../../core/calibration.js';
import { plannerIssue } from '../../core/planner-input.js';
import { tokenizePlannerInput } from '../../core/encoders/tokenize.js';
import { checkOnnxGraph } from '../../plugins/onnx/onnx-graph-check.js';
import type { OnnxModelInfo } from '../../plugins/onnx/onnx-reader.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { clone, loadInput } from './load-fixture.js';

const base = loadInput('worked-a');
type Mutable = Record<string, unknown> & { issue: Record<string, unknown>; universe_defaults: Record<string, unknown> };

function tok(edit: (x: Mutable) => void): string[] {
  const x = clone(base) as unknown as Mutable;
  edit(x);
  return tokenizePlannerInput(x as unknown as PlannerInputV1);
}

/** The tokens between `[KEY:<key>] [=]` and the next `[KEY:`/`[SEP]`/`[EOS]`, or null when the key is absent. */
function after(t: readonly string[], key: string): string[] | null {
  const at = t.indexOf(`[KEY:${key}]`);
  if (at < 0) return null;
  const out: string[] = [];
  for (let i = at + 2; i < t.length && !/^\[(KEY:|SEP\]|EOS\])/.test(t[i]); i++) out.push(t[i]);
  return out;
}

const run = (extra: Record<string, unknown>): Record<string, unknown> => ({
  run_id: 'r',
  started_ms: 1,
  job_type: 'code',
  domain: 'code',
  action_executed: { swarm_id: null },
  outcome: { status: 'failed', fail_codes: [], gates: [] },
  runtime: { duration_ms: 0 },
  ...extra,
});

describe('§3.A kv values: safe_str (non-string → NONE, Python strip, empty → NONE)', () => {
  it.each([
    ['', 'NONE'],
    ['   ', 'NONE'],
    ['\x1f\x85', 'NONE'],
    [5, 'NONE'],
    [true, 'NONE'],
    [null, 'NONE'],
    [['medica'], 'NONE'],
    [' medica ', 'medica'],
    ['\uFEFFmedica', '\uFEFFmedica'],
  ])('universe_id %j → [VAL:UNIVERSE_ID:%s]', (value, expected) => {
    expect(tok((x) => (x.universe_id = value))[3]).toBe(`[VAL:UNIVERSE_ID:${expected}]`);
  });

  it('a missing field reads like null (NONE)', () => {
    expect(
      after(
        tok((x) => delete x.issue.dk_tool_hint),
        'DK_TOOL_HINT',
      ),
    ).toEqual(['[VAL:TOOLCHAIN:NONE]']);
  });
});

describe('§3.A default objective: safe_str, then hashed (stripped) with salt kw', () => {
  it.each([
    [' realism_perf_v1 ', ['[KW_HASH_242]']],
    ['   ', null],
    ['', null],
    [null, null],
    [7, null],
  ])('objective_id %j', (value, expected) => {
    expect(
      after(
        tok((x) => (x.universe_defaults.objective_id = value)),
        'DEFAULT_OBJECTIVE',
      ),
    ).toEqual(expected);
  });
});

describe('§3.A tags: non-empty strings, not trimmed, a set, no cap', () => {
  it.each([
    [[' '], ['[TAG_HASH_130]']], // whitespace-only is a non-empty string: kept (the kernel builder drops it earlier)
    [
      [' a', 'a'],
      ['[TAG_HASH_208]', '[TAG_HASH_988]'],
    ],
    [['', '', 'a', 'a'], ['[TAG_HASH_208]']],
    [[], null],
    [['', 5, null], null],
    ['a', null],
  ])('tags %j', (tags, expected) => {
    expect(
      after(
        tok((x) => (x.issue.tags = tags)),
        'TAGS',
      ),
    ).toEqual(expected);
  });
});

describe('§3.A keywords: a list is used as is (falsy ≠ missing); otherwise extracted from stripped title/description', () => {
  it.each([
    ['an empty list: no key, and no fallback to the title', [], null],
    ['a list of empty strings: the same', ['', ''], null],
    ['list items are not lowercased, stripped or stopword-filtered', ['Walkable', 'the'], 2],
    ['no 16 cap on a supplied list', Array.from({ length: 20 }, (_, i) => `kw${i}`), 20],
  ] as const)('%s', (_what, keywords, count) => {
    const got = after(
      tok((x) => (x.issue.keywords = keywords as unknown)),
      'KEYWORDS',
    );
    expect(got === null ? null : got.length).toBe(count);
    if (keywords[0] === 'Walkable') expect(got).toContain('[KW_HASH_774]');
  });

  it.each([
    ['null keywords: extracted from the title', null],
    ['a non-list (string) keywords: extracted from the title', 'walkable'],
    ['missing keywords: extracted from the title', undefined],
  ])('%s', (_what, keywords) => {
    const got = after(
      tok((x) => {
        if (keywords === undefined) delete x.issue.keywords;
        else x.issue.keywords = keywords;
        x.issue.title = '  Walkable library  ';
      }),
      'KEYWORDS',
    );
    expect(got).toEqual(['[KW_HASH_279]', '[KW_HASH_768]']); // lowercased by extract_keywords, string-sorted
  });

  it('a whitespace-only title and no description give no keywords', () => {
    expect(
      after(
        tok((x) => ((x.issue.keywords = null), (x.issue.title = ' \x1c '), (x.issue.description = null))),
        'KEYWORDS',
      ),
    ).toBeNull();
  });
});

describe('§3.A system state', () => {
  const state = (toolchains: unknown) => (x: Mutable) =>
    (x.system_state = {
      active_workcells_bin: null,
      queue_depth_bin: ' ',
      hour_bucket: '',
      budget_remaining_bin: 3,
      available_toolchains: toolchains,
    });

  it('bins: null, whitespace-only, empty and non-string all read NONE', () => {
    const t = tok(state(null));
    for (const key of ['ACTIVE_WORKCELLS_BIN', 'QUEUE_DEPTH_BIN', 'BUDGET_REMAINING_BIN'])
      expect(after(t, key)).toEqual(['[VAL:BIN:NONE]']);
    expect(after(t, 'HOUR_BUCKET')).toEqual(['[VAL:HOUR:NONE]']);
  });

  it.each([
    [null, null],
    [[], null],
    ['codex', null],
    [['', ''], []],
    [[5], []],
    [
      [' codex', 'codex', ' codex', ''],
      ['[VAL:TOOLCHAIN: codex]', '[VAL:TOOLCHAIN:codex]'],
    ], // raw, not stripped; sorted raw
  ])('available_toolchains %j', (toolchains, expected) => {
    expect(after(tok(state(toolchains)), 'AVAILABLE_TOOLCHAINS')).toEqual(expected);
  });

  it.each([[[]], ['x'], [7]])('a non-object system_state (%j) is like null: only its [SEP]', (value) => {
    expect(tok((x) => (x.system_state = value))).toEqual(tokenizePlannerInput(base));
  });
});

describe('§3.A history: falsy sort keys, dict items first, then the first 8', () => {
  it('non-object items are dropped before the 8-run limit', () => {
    const runs = [1, 'x', null, ...Array.from({ length: 8 }, (_, i) => run({ run_id: `r${i}` })), []];
    expect(tok((x) => (x.history = { last_n_similar_runs: runs })).filter((s) => s.startsWith('[RUN_'))).toHaveLength(
      8,
    );
  });

  it.each([[''], [false], [0], [null]])('started_ms %j is falsy: it sorts as 0, no error', (started) => {
    const t = tok(
      (x) =>
        (x.history = {
          last_n_similar_runs: [
            run({ run_id: 'a', started_ms: started, runtime: { duration_ms: 0 } }),
            run({ run_id: 'b', started_ms: 1, runtime: { duration_ms: 5000 } }),
          ],
        }),
    );
    expect(t.filter((s) => s.startsWith('[VAL:DURATION_BIN:'))).toEqual([
      '[VAL:DURATION_BIN:1_10S]',
      '[VAL:DURATION_BIN:LT_1S]',
    ]);
  });

  it('run_id 0 is falsy (""), so it sorts before "a"; equal keys keep list order', () => {
    const t = tok(
      (x) =>
        (x.history = {
          last_n_similar_runs: [
            run({ run_id: 'a', runtime: { duration_ms: 5000 } }),
            run({ run_id: 0, runtime: { duration_ms: 0 } }),
            run({ run_id: 'a', runtime: { duration_ms: 15000 } }),
          ],
        }),
    );
    expect(t.filter((s) => s.startsWith('[VAL:DURATION_BIN:'))).toEqual([
      '[VAL:DURATION_BIN:LT_1S]',
      '[VAL:DURATION_BIN:1_10S]',
      '[VAL:DURATION_BIN:10_30S]',
    ]);
  });

  it('history.last_n_similar_runs that is not a list gives no runs', () => {
    expect(tok((x) => (x.history = { last_n_similar_runs: { a: run({}) } })).some((s) => s.startsWith('[RUN_'))).toBe(
      false,
    );
  });
});

describe('§3.A one run', () => {
  const runTokens = (outcome: Record<string, unknown>, runtime: unknown = { duration_ms: 0 }) =>
    tok((x) => (x.history = { last_n_similar_runs: [run({ outcome: { status: 'failed', ...outcome }, runtime })] }));

  it.each([
    [false, 'LT_1S'],
    [true, 'LT_1S'],
    [0, 'LT_1S'],
    [1.0000001, null],
  ])('duration_ms %j: Python bools are ints (False is 0)', (ms, bin) => {
    expect(after(runTokens({}, { duration_ms: ms }), 'DURATION_BIN')).toEqual(
      bin === null ? null : [`[VAL:DURATION_BIN:${bin}]`],
    );
  });

  it('fail codes are not trimmed: " " is kept; a duplicate still uses a slot before the set is taken', () => {
    expect(after(runTokens({ fail_codes: [' ', '', ''] }), 'FAIL_CODES')).toEqual(['[FAIL_HASH_37]']);
    expect(after(runTokens({ fail_codes: [...Array(8).fill('a'), 'b'] }), 'FAIL_CODES')).toEqual(['[FAIL_HASH_163]']);
  });

  it.each([[0], [null], ['false'], [undefined]])(
    'a gate counts as failing only when passed is the boolean false (not %j)',
    (passed) => {
      expect(after(runTokens({ gates: [{ name: 'lint', passed }] }), 'FAIL_GATES')).toBeNull();
    },
  );

  it('a whitespace-only gate name is a non-empty name (no trimming)', () => {
    expect(after(runTokens({ gates: [{ name: ' ', passed: false }] }), 'FAIL_GATES')).toEqual(['[GATE_HASH_748]']);
  });

  it('missing outcome/action_executed read as NONE; no fail codes/gates keys', () => {
    const t = tok((x) => (x.history = { last_n_similar_runs: [{ run_id: 'r', started_ms: 1 }] }));
    expect(t.slice(t.indexOf('[RUN_0]'))).toEqual([
      '[RUN_0]',
      '[KEY:OUTCOME_STATUS]',
      '[=]',
      '[VAL:STATUS:NONE]',
      '[KEY:EXEC_SWARM_ID]',
      '[=]',
      '[VAL:SWARM_ID:NONE]',
      '[EOS]',
    ]);
  });
});

describe('§4 parsing and validity', () => {
  it('bins: "NA" with Python strip() (\\x1c stripped, U+FEFF not), any case; bools are ints; floats dropped; duplicates removed in order; empty → [NA]', () => {
    expect(parseBins(['\x1c na \x85', 15, 15.5, true, 'NA', 15], [])).toEqual(['NA', 15, 1]);
    expect(parseBins(['\uFEFFNA', 'N A'], [])).toEqual(['NA']); // both dropped → empty → ["NA"]
    expect(parseBins([], [1])).toEqual(['NA']);
  });

  it('swarm_ids: empties dropped, duplicates removed keeping order', () => {
    expect(ActionSpace.fromJson({ swarm_ids: ['b', '', 'a', 'b'] }, 'test').swarmIds).toEqual(['b', 'a']);
  });

  it('a bin below 1 makes every tuple using it invalid; job rules match exactly (no trimming or case folding)', () => {
    const space = new ActionSpace({
      swarmIds: ['serial_handoff'],
      candidates: [1],
      minutes: [0, 15],
      iterations: [1, 'NA'],
    });
    expect(space.validActions('code').map((t) => t.max_minutes_bin)).toEqual([15]);
    expect(space.validActions('Code').map((t) => t.max_iterations_bin)).toEqual([1, 'NA']);
    expect(space.validActions(' fab-world ').some((t) => t.max_candidates_bin === 'NA')).toBe(false); // no NA bin here anyway
  });
});

describe('§7.1 temperatures', () => {
  it('a missing key defaults to 1; a tiny one is floored at 1e-6 (max(1e-6, T))', () => {
    const t = parseCalibration({ temperatures: { swarm_id: 1e-9 } }, 'calibration.json');
    expect(t).toEqual({ swarm: 1e-6, candidates: 1, minutes: 1, iterations: 1 });
  });
});

describe('§6.3/§7.1 seq_len: input_ids dim 1 when it is a positive int, else 512', () => {
  const info = (dim: number | string | null): OnnxModelInfo => ({
    irVersion: 8,
    producerName: 't',
    opsets: [{ domain: '', version: 17 }],
    initializers: [],
    externalData: [],
    nonFinite: [],
    nodeCount: 0,
    inputs: ['input_ids', 'attention_mask'].map((name) => ({ name, elemType: 7, dims: ['batch', dim] })),
    outputs: [2, 4, 6, 5].map((n, i) => ({ name: `out${i}`, elemType: 1, dims: ['batch', n] })),
  });
  it.each([
    [64, 64],
    ['seq', 512],
    [0, 512],
    [null, 512],
  ] as const)('dim %j → %j', (dim, seqLen) => {
    const plan = checkOnnxGraph(info(dim), { config: null, actionSpace: ActionSpace.defaults() }, 'planner.onnx').plan;
    expect(plan?.input).toEqual({ kind: 'tokens', seqLen });
  });
});

describe('§2 kernel builder (same kind of ambiguity): whitespace-only tags are dropped with Python strip()', () => {
  it('drops "\\x1c" and " " but keeps U+FEFF and " a" (untrimmed)', () => {
    const issue = plannerIssue({ id: 'T-1', tags: ['\x1c', ' ', '\uFEFF', ' a'] });
    expect(issue.tags).toEqual(['\uFEFF', ' a']);
  });
});
