/**
 * `decodeBatch` (precomputed action tables) must answer exactly what the reference `decodeJoint` answers, item by
 * item: same action, same confidence and probs bit for bit, same error codes. Seeded random logits, including exact
 * ties (quantised logits), calibration temperatures, both confidence modes, several job types and action spaces.
 */
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { ActionSpace } from '../../core/action-space.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import { decodeBatch } from '../../core/decode-batch.js';
import { decodeJobType } from '../../core/decode-job-type.js';
import { decodeJoint, type DecodeOptions } from '../../core/decode.js';
import { PlannerError } from '../../core/errors.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { Prng } from '../support/fuzz-prng.js';

const JOB_TYPES: unknown[] = ['code', 'fab-world', 'weird', '', null, undefined, ' code ', 0, 7];

const spaces = [
  ActionSpace.defaults(),
  ActionSpace.fromJson(
    {
      swarm_ids: ['b', 'a', 'c'],
      max_candidates_bins: [2, 'NA', 1],
      max_minutes_bins: [60, 15],
      max_iterations_bins: ['NA', 3, 1],
    },
    'test',
  ),
  ActionSpace.fromJson(
    {
      swarm_ids: ['solo'],
      max_candidates_bins: [1],
      max_minutes_bins: [15],
      max_iterations_bins: [1],
      validity_rules: [
        { description: 'code: no iterations', if: { job_type: 'code' }, then: { max_iterations_bin: 'NA' } },
      ],
    },
    'test',
  ),
];

function randomLogits(rng: Prng, space: ActionSpace): HeadLogits {
  const quantised = rng.chance(0.4); // few distinct values: exact score ties happen
  const out = {} as Record<(typeof HEAD_NAMES)[number], Float32Array>;
  for (const head of HEAD_NAMES) {
    const n = space.headSize(head) + (rng.chance(0.02) ? 1 : 0); // sometimes the wrong width
    out[head] = Float32Array.from({ length: n }, () =>
      quantised ? rng.int(3) : (rng.next() - 0.5) * (rng.chance(0.1) ? 200 : 8),
    );
    if (rng.chance(0.01)) out[head][0] = NaN;
  }
  return out;
}

function options(rng: Prng): DecodeOptions {
  const temperatures = rng.chance(0.5)
    ? null
    : {
        swarm: 0.5 + rng.next(),
        candidates: 0.5 + rng.next(),
        minutes: 0.5 + rng.next(),
        iterations: 0.5 + rng.next(),
      };
  return { temperatures, confidenceMode: rng.chance(0.5) ? 'geomean' : 'min' };
}

describe('decodeBatch equals decodeJoint item by item', () => {
  it('on 3 000 seeded items over three action spaces', () => {
    const rng = new Prng(19);
    let decoded = 0;
    let failed = 0;
    for (let round = 0; round < 60; round++) {
      const space = spaces[round % spaces.length];
      const opts = options(rng);
      const inputs = Array.from({ length: 50 }, () => ({ job_type: rng.pick(JOB_TYPES) }) as unknown as PlannerInputV1);
      const logits = inputs.map(() => randomLogits(rng, space));
      const batch = decodeBatch(logits, space, inputs, opts);
      expect(batch).toHaveLength(inputs.length);
      batch.forEach((got, i) => {
        let want: ReturnType<typeof decodeJoint> | undefined;
        let wantError: unknown;
        try {
          want = decodeJoint(logits[i], space, decodeJobType(inputs[i].job_type), opts);
        } catch (e) {
          wantError = e;
        }
        if (want) {
          expect('decoded' in got && got.decoded).toStrictEqual(want);
          decoded++;
        } else {
          expect('error' in got && got.error).toBeInstanceOf(PlannerError);
          expect(('error' in got && (got.error as PlannerError).code) || null).toBe((wantError as PlannerError).code);
          failed++;
        }
      });
    }
    expect(decoded).toBeGreaterThan(2000);
    expect(failed).toBeGreaterThan(0);
  });

  it('breaks exact ties to the lower tuple text, as the reference does', () => {
    const space = ActionSpace.defaults();
    const flat: HeadLogits = {
      swarm: new Float32Array(2),
      candidates: new Float32Array(4),
      minutes: new Float32Array(6),
      iterations: new Float32Array(5),
    };
    const input = { job_type: 'fab-world' } as unknown as PlannerInputV1;
    const [got] = decodeBatch([flat], space, [input], { temperatures: null, confidenceMode: 'geomean' });
    const want = decodeJoint(flat, space, 'fab-world', { temperatures: null, confidenceMode: 'geomean' });
    expect('decoded' in got && got.decoded.action).toEqual(want.action);
  });

  it('reports an action space with no valid action for the job type as that item’s error', () => {
    const space = ActionSpace.fromJson(
      { swarm_ids: ['solo'], max_candidates_bins: ['NA'], max_minutes_bins: [15], max_iterations_bins: [1] },
      'test',
    );
    const logits: HeadLogits = {
      swarm: new Float32Array(1),
      candidates: new Float32Array(1),
      minutes: new Float32Array(1),
      iterations: new Float32Array(1),
    };
    const inputs = [{ job_type: 'fab-world' }, { job_type: 'weird' }] as unknown as PlannerInputV1[];
    const [bad, good] = decodeBatch([logits, logits], space, inputs, { temperatures: null, confidenceMode: 'min' });
    expect('error' in bad && (bad.error as PlannerError).code).toBe('ACTION_SPACE_INVALID');
    expect('decoded' in good && good.decoded.confidence).toBe(1);
  });
});
