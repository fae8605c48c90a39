/**
 * The features.v1 hot paths against straightforward reference versions of the same rules (the forms they replaced):
 * run order with BigInt keys, tags through a Set, gate state per gate, strip through the whitespace set, and the
 * created_at parse without its one-entry memo.
 */
import { describe, expect, it } from 'vitest';
import { encodeFeatures, issueTags } from '../../core/encoders/features-encoder.js';
import { HISTORY_OFFSET, KNOWN_GATES, SLOT, SLOT_SIZE } from '../../core/encoders/features-layout.js';
import { pyIntOrZero, pyStrOrEmpty } from '../../core/encoders/python-int.js';
import { compareCodePoints, pyStrip, PYTHON_WHITESPACE } from '../../core/encoders/python-strip.js';
import { orderedRuns } from '../../core/encoders/run-order.js';
import { parseRfc3339Strict } from '../../core/encoders/strict-rfc3339.js';
import { Prng } from '../support/fuzz-prng.js';

function orderedRunsReference(list: unknown[], limit: number): unknown[] {
  const keyed = list.flatMap((run, i) =>
    typeof run === 'object' && run !== null && !Array.isArray(run)
      ? [
          {
            run,
            i,
            started: pyIntOrZero((run as never)['started_ms'], 'k'),
            id: pyStrOrEmpty((run as never)['run_id'], 'k'),
          },
        ]
      : [],
  );
  keyed.sort((a, b) =>
    a.started !== b.started ? (a.started > b.started ? -1 : 1) : compareCodePoints(a.id, b.id) || a.i - b.i,
  );
  return keyed.slice(0, limit).map((k) => k.run);
}

const tagsReference = (tags: unknown[]): string[] =>
  Array.from(new Set(tags.filter((t): t is string => typeof t === 'string' && t.length > 0)))
    .sort(compareCodePoints)
    .slice(0, 8);

function pyStripReference(s: string): string {
  const ws = new Set(PYTHON_WHITESPACE);
  let a = 0;
  let b = s.length;
  while (a < b && ws.has(s.charCodeAt(a))) a++;
  while (b > a && ws.has(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

const STARTED: unknown[] = [
  0,
  1,
  -1,
  1.5,
  -1.5,
  -0.5,
  2 ** 53,
  2 ** 53 + 2,
  1e20,
  1768446000000,
  '12',
  ' 1_000 ',
  '-3',
  '99999999999999999999',
  null,
  undefined,
  false,
  true,
  '',
  [],
  {},
];
const IDS: unknown[] = ['a', 'b', 'B', '', 'é', '\uFB01', '😀', null, 0, 7, true, 1.5];

describe('features.v1 fast paths equal their reference versions', () => {
  it('run order: number keys compared with BigInt keys, ties by run id then list order', () => {
    const rand = new Prng(77);
    for (let n = 0; n < 2000; n++) {
      const list = Array.from({ length: rand.int(12) }, () =>
        rand.chance(0.05) ? 'not a run' : { started_ms: rand.pick(STARTED), run_id: rand.pick(IDS) },
      );
      const limit = rand.int(10);
      expect(orderedRuns({ history: { last_n_similar_runs: list } }, limit)).toEqual(orderedRunsReference(list, limit));
    }
  });

  it('tags: distinct non-empty strings, code-point order, first 8 (short and long lists)', () => {
    const rand = new Prng(8);
    const pool: unknown[] = ['a', 'b', 'B', '', 'é', '\uFB01', '😀', 'lang:ts', 'lang:py', 'x', 'y', 'z', 1, null];
    for (let n = 0; n < 2000; n++) {
      const tags = Array.from({ length: rand.int(n % 10 === 0 ? 80 : 14) }, () => rand.pick(pool));
      expect(issueTags(tags)).toEqual(tagsReference(tags));
    }
  });

  it('gates: present when a known gate has an item, passed only when every item of it has passed === true', () => {
    const rand = new Prng(16);
    const names: unknown[] = [...KNOWN_GATES.slice(0, 6), 'unit', ' lint ', 'unknown', '', null, 3];
    for (let n = 0; n < 1000; n++) {
      const gates = Array.from({ length: rand.int(8) }, () =>
        rand.chance(0.05) ? null : { name: rand.pick(names), passed: rand.pick<unknown>([true, false, null, 1]) },
      );
      const v = encodeFeatures({ history: { last_n_similar_runs: [{ outcome: { gates } }] } });
      const at = HISTORY_OFFSET + SLOT.gates;
      const want = new Float32Array(2 * KNOWN_GATES.length);
      KNOWN_GATES.forEach((gate, j) => {
        const items = gates.filter((g) => g !== null && typeof g.name === 'string' && g.name.trim() === gate);
        if (items.length === 0) return;
        want[2 * j] = 1;
        if (items.every((g) => g!.passed === true)) want[2 * j + 1] = 1;
      });
      expect(Array.from(v.subarray(at, at + want.length))).toEqual(Array.from(want));
      expect(v[HISTORY_OFFSET + SLOT_SIZE - 1 + SLOT_SIZE]).toBe(0); // one run: the second slot stays empty
    }
  });

  it('strip: printable ends skip the whitespace lookup, everything else is stripped as Python does', () => {
    const rand = new Prng(32);
    const chars = ['a', 'Z', '~', '!', ' ', '\t', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0084', '\u001f'];
    for (let n = 0; n < 3000; n++) {
      const s = Array.from({ length: rand.int(6) }, () => rand.pick(chars)).join('');
      expect(pyStrip(s)).toBe(pyStripReference(s));
    }
  });

  it('created_at: the memo of the last text never changes an answer', () => {
    const texts = ['2026-01-15T12:00:00Z', '2026-01-15T12:00:00.5+01:00', 'nope', '2026-02-30T00:00:00Z', 7, null];
    const fresh = texts.map((t) => parseRfc3339Strict(t));
    expect(fresh[0]).toBe(Date.UTC(2026, 0, 15, 12));
    const rand = new Prng(4);
    for (let n = 0; n < 500; n++) {
      const k = rand.int(texts.length);
      expect(parseRfc3339Strict(texts[k])).toBe(fresh[k]);
    }
  });
});
