import { describe, expect, it } from 'vitest';
import { createFeaturesEncoder } from '../../core/encoders/features-encoder.js';
import type { InputEncoder } from '../../core/encoders/encoder.js';
import { createTokensEncoder } from '../../core/encoders/tokens-encoder.js';
import { buildFixedVocabTokens, vocabFromTokens } from '../../core/encoders/vocab.js';
import { PlannerError } from '../../core/errors.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { clone, loadInput } from './load-fixture.js';
import { mulberry32 } from '../../fixtures/tools/onnx-fixture-models.js';

const encoders: InputEncoder[] = [
  createFeaturesEncoder(),
  createTokensEncoder(vocabFromTokens(buildFixedVocabTokens()), 512),
];

/** Encodes with both encoders; returns a JSON-comparable result or the error code. Untyped errors fail the test. */
function outcome(enc: InputEncoder, input: unknown): unknown {
  let b: ReturnType<InputEncoder['encodeBatch']>;
  try {
    b = enc.encodeBatch([input as PlannerInputV1]);
  } catch (e) {
    // Only the encoder's own error is caught here; the assertions below are outside the try.
    expect(e).toBeInstanceOf(PlannerError);
    expect((e as PlannerError).code).toBe('ENCODER_INVALID_INPUT');
    return { code: (e as PlannerError).code };
  }
  if (b.kind === 'features') {
    expect(b.data).toHaveLength(3779);
    expect(b.data.every((x) => x === 0 || x === 1)).toBe(true);
    return Array.from(b.data);
  }
  if (b.kind === 'tokens') {
    expect(b.tokens[0].length).toBeLessThanOrEqual(1024);
    expect(b.tokens[0][0]).toBe('[BOS]');
    return [b.tokens[0], Array.from(b.inputIds, Number)];
  }
  return b;
}

const WEIRD_STRINGS = [
  '',
  ' ',
  '\x1c',
  '\uFEFF',
  '\uD800',
  '\uDC00x',
  '\u{1F600}',
  'é',
  'NA',
  ' na ',
  '12',
  '1_0',
  'abc',
  '2000',
  '\x85P1\x85',
  'code',
  'fab-world',
  'serial_handoff',
  '07',
  '1_2',
  'codex',
];

function randomValue(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return rnd() < 0.5;
    case 3:
      return [NaN, Infinity, -Infinity, -0, 1e300, -1, 0.5, 2 ** 53 + 2][Math.floor(rnd() * 8)];
    case 4:
      return Math.floor(rnd() * 5_000_000) - 1000;
    case 5:
    case 6:
      return WEIRD_STRINGS[Math.floor(rnd() * WEIRD_STRINGS.length)];
    case 7:
      return String.fromCharCode(
        ...Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 0x10000)),
      );
    case 8:
    case 9:
      return depth > 2 ? [] : Array.from({ length: Math.floor(rnd() * 12) }, () => randomValue(rnd, depth + 1));
    case 10:
      return depth > 2
        ? {}
        : {
            name: randomValue(rnd, depth + 1),
            passed: randomValue(rnd, depth + 1),
            status: randomValue(rnd, depth + 1),
          };
    case 11:
      return 10n;
    default:
      return Math.floor(rnd() * 200);
  }
}

const PATHS = [
  ['universe_id'],
  ['job_type'],
  ['created_at'],
  ['universe_defaults'],
  ['universe_defaults', 'swarm_id'],
  ['universe_defaults', 'objective_id'],
  ['issue'],
  ['issue', 'dk_priority'],
  ['issue', 'dk_risk'],
  ['issue', 'dk_size'],
  ['issue', 'dk_tool_hint'],
  ['issue', 'dk_attempts'],
  ['issue', 'tags'],
  ['issue', 'keywords'],
  ['issue', 'title'],
  ['issue', 'description'],
  ['history'],
  ['history', 'last_n_similar_runs'],
  ['history', 'last_n_similar_runs', '0'],
  ['history', 'last_n_similar_runs', '0', 'started_ms'],
  ['history', 'last_n_similar_runs', '1', 'run_id'],
  ['history', 'last_n_similar_runs', '0', 'outcome'],
  ['history', 'last_n_similar_runs', '0', 'outcome', 'fail_codes'],
  ['history', 'last_n_similar_runs', '1', 'outcome', 'gates'],
  ['history', 'last_n_similar_runs', '0', 'runtime', 'duration_ms'],
  ['history', 'last_n_similar_runs', '1', 'cost_usd_est'],
  ['history', 'last_n_similar_runs', '0', 'action_executed'],
  ['history', 'last_n_similar_runs', '1', 'action_executed', 'max_minutes'],
  ['action_space'],
  ['action_space', 'swarm_ids'],
  ['action_space', 'max_minutes_bins'],
  ['system_state'],
  ['system_state', 'available_toolchains'],
  ['system_state', 'hour_bucket'],
  ['system_state', 'queue_depth_bin'],
];

function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'object' && node !== null) (node as Record<string, unknown>)[path[path.length - 1]] = value;
}

describe('malformed inputs: deterministic or a coded error, never an untyped throw', () => {
  it.each([
    ['null', null],
    ['a number', 5],
    ['a string', 'x'],
    ['an array', []],
    ['an empty object', {}],
  ])('top level %s', (_name, input) => {
    for (const enc of encoders) outcome(enc, input);
    expect(outcome(encoders[0], [])).toEqual({ code: 'ENCODER_INVALID_INPUT' });
  });

  it('100k tags, non-string tags, huge keyword lists', () => {
    const x = clone(loadInput('worked-b')) as unknown as { issue: Record<string, unknown> };
    x.issue.tags = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? i : `tag-${i}`));
    x.issue.keywords = Array.from({ length: 50_000 }, (_, i) => `kw${i}`);
    for (const enc of encoders) expect(outcome(enc, x)).toEqual(outcome(enc, clone(x)));
    const tokens = encoders[1].encodeBatch([x as unknown as PlannerInputV1]);
    expect(tokens.kind === 'tokens' && tokens.tokens[0].length).toBe(1024);
  });

  it('NaN/Infinity durations, unicode (astral, lone surrogates, BOM)', () => {
    const x = clone(loadInput('worked-b'));
    const runs = x.history.last_n_similar_runs as unknown as Record<string, unknown>[];
    runs[0].runtime = { duration_ms: NaN };
    runs[1].runtime = { duration_ms: Infinity };
    x.universe_id = '\u{1F600}\uD800';
    x.issue.tags = ['\uD800', '\uDC00', '\u{1F600}', '\uFFFF'];
    (x.system_state as { available_toolchains: string[] }).available_toolchains = ['\u{1F600}', '\uFF5E', '\uD800'];
    for (const enc of encoders) expect(outcome(enc, x)).toEqual(outcome(enc, x));
    const t = encoders[1].encodeBatch([x]);
    if (t.kind !== 'tokens') throw new Error('tokens expected');
    const tc = t.tokens[0].filter((s) => s.startsWith('[VAL:TOOLCHAIN:') && !s.includes('codex'));
    expect(tc).toEqual(['[VAL:TOOLCHAIN:\uD800]', '[VAL:TOOLCHAIN:\uFF5E]', '[VAL:TOOLCHAIN:\u{1F600}]']);
  });

  it('seeded random mutations (property test, 1500 cases × 2 encoders)', () => {
    const rnd = mulberry32(20261124);
    const bases = [loadInput('worked-a'), loadInput('worked-b'), loadInput('hand-system')];
    const codes = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      const x = clone(bases[i % bases.length]) as unknown as Record<string, unknown>;
      const mutations = 1 + Math.floor(rnd() * 4);
      for (let m = 0; m < mutations; m++) setPath(x, PATHS[Math.floor(rnd() * PATHS.length)], randomValue(rnd));
      for (const enc of encoders) {
        const first = outcome(enc, x);
        expect(outcome(enc, x)).toEqual(first); // deterministic (memo warm on the second call)
        const key = typeof first === 'object' && first !== null && 'code' in first ? 'error' : 'ok';
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
    }
    expect(codes.get('ok')).toBeGreaterThan(2000); // most mutations still encode
  });
});

describe('batch errors', () => {
  it('name the failing batch item and keep the code', () => {
    const bad = clone(loadInput('worked-b'));
    (bad.history.last_n_similar_runs[0] as unknown as Record<string, unknown>).started_ms = 'soon';
    for (const enc of encoders) {
      expect(() => enc.encodeBatch([loadInput('worked-a'), bad])).toThrow(
        expect.objectContaining({ code: 'ENCODER_INVALID_INPUT', context: expect.objectContaining({ batchIndex: 1 }) }),
      );
    }
  });

  it('an input whose getter throws becomes a coded error, not an untyped one', () => {
    const hostile = clone(loadInput('worked-a')) as unknown as Record<string, unknown>;
    Object.defineProperty(hostile, 'issue', {
      get: () => {
        throw new TypeError('boom');
      },
    });
    for (const enc of encoders)
      expect(() => enc.encodeBatch([hostile as unknown as PlannerInputV1])).toThrow(
        expect.objectContaining({ code: 'ENCODER_INVALID_INPUT' }),
      );
  });
});
