import { describe, expect, it } from 'vitest';
import { ActionSpace } from '../../core/action-space.js';
import { parseCalibration, UNIT_TEMPERATURES } from '../../core/calibration.js';
import { confidenceOf, decodeJoint, softmax } from '../../core/decode.js';
import { PlannerError } from '../../core/errors.js';

const space = ActionSpace.defaults();
const f32 = (a: number[]) => Float32Array.from(a);
const logits = (l: { swarm: number[]; candidates: number[]; minutes: number[]; iterations: number[] }) => ({
  swarm: f32(l.swarm),
  candidates: f32(l.candidates),
  minutes: f32(l.minutes),
  iterations: f32(l.iterations),
});

describe('joint decoding', () => {
  it('never returns the invalid combination a per-head argmax would (serial_handoff with 3 candidates)', () => {
    const l = logits({
      swarm: [0.1, 0],
      candidates: [0, 0, 5, 0],
      minutes: [0, 3, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 4],
    });
    // Per-head argmax: swarm 0 (serial) and candidates 2 (3) — an invalid pair.
    expect(Array.from(l.swarm).indexOf(Math.max(...l.swarm))).toBe(0);
    expect(Array.from(l.candidates).indexOf(Math.max(...l.candidates))).toBe(2);
    const r = decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'geomean' });
    expect(r.action).toEqual({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 3,
      max_minutes_bin: 30,
      max_iterations_bin: 'NA',
    });
    expect(space.isValid('code', r.action)).toBe(true);
  });

  it('picks serial with one candidate when the swarm head is sure of serial', () => {
    const l = logits({
      swarm: [8, 0],
      candidates: [0, 0, 1, 0],
      minutes: [0, 0, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 0],
    });
    const r = decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'geomean' });
    expect(r.action.swarm_id).toBe('serial_handoff');
    expect(r.action.max_candidates_bin).toBe(1);
  });

  it('forces iterations NA for code and candidates not NA for fab-world', () => {
    const l = logits({
      swarm: [0, 5],
      candidates: [0, 0, 0, 9],
      minutes: [0, 0, 0, 0, 0, 0],
      iterations: [9, 0, 0, 0, 0],
    });
    expect(decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'min' }).action.max_iterations_bin).toBe(
      'NA',
    );
    const fab = decodeJoint(l, space, 'fab-world', { temperatures: null, confidenceMode: 'min' }).action;
    expect(fab.max_candidates_bin).not.toBe('NA');
    expect(fab.max_iterations_bin).toBe(1);
  });

  it('breaks exact ties by the lower tuple text, as the Python planner does', () => {
    const zero = logits({
      swarm: [0, 0],
      candidates: [0, 0, 0, 0],
      minutes: [0, 0, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 0],
    });
    const r = decodeJoint(zero, space, 'code', { temperatures: null, confidenceMode: 'geomean' });
    // Every valid tuple scores the same; '["serial_handoff", 1, "NA", "NA"]' has the lowest text ('"' < digits).
    expect(r.action).toEqual({
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: 'NA',
      max_iterations_bin: 'NA',
    });
  });

  it('computes geomean (spec) and min (Python) confidence from the chosen-head probabilities', () => {
    const l = logits({
      swarm: [2, 0],
      candidates: [3, 0, 0, 0],
      minutes: [1, 0, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 2],
    });
    const g = decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'geomean' });
    const m = decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'min' });
    const c = g.chosen;
    expect(g.confidence).toBeCloseTo(Math.pow(c.swarm * c.candidates * c.minutes * c.iterations, 0.25), 12);
    expect(m.confidence).toBeCloseTo(Math.min(c.swarm, c.candidates, c.minutes, c.iterations), 12);
    expect(m.confidence).toBeLessThan(g.confidence);
    expect(confidenceOf({ swarm: 1, candidates: 1, minutes: 1, iterations: 1 }, 'geomean')).toBe(1);
  });

  it('rejects wrong-length and non-finite logits with LOGITS_INVALID', () => {
    const bad = [
      logits({ swarm: [0, 0, 0], candidates: [0, 0, 0, 0], minutes: [0, 0, 0, 0, 0, 0], iterations: [0, 0, 0, 0, 0] }),
      logits({ swarm: [0, NaN], candidates: [0, 0, 0, 0], minutes: [0, 0, 0, 0, 0, 0], iterations: [0, 0, 0, 0, 0] }),
      logits({
        swarm: [0, 0],
        candidates: [0, Infinity, 0, 0],
        minutes: [0, 0, 0, 0, 0, 0],
        iterations: [0, 0, 0, 0, 0],
      }),
    ];
    for (const l of bad) {
      expect(() => decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'geomean' })).toThrowError(
        expect.objectContaining({ code: 'LOGITS_INVALID', name: 'InvalidLogitsError' }),
      );
    }
  });
});

describe('temperature calibration', () => {
  it('reads the spec key style and the Python key style to the same temperatures', () => {
    const spec = parseCalibration(
      { temperature: { swarm: 1.2, candidates: 1.1, minutes: 1.0, iterations: 0.9 } },
      'a.json',
    );
    const py = parseCalibration(
      {
        schema_version: 'cyntra.planner_calibration.v1',
        temperatures: { swarm_id: 1.2, max_candidates_bin: 1.1, max_minutes_bin: 1.0, max_iterations_bin: 0.9 },
      },
      'b.json',
    );
    expect(spec).toEqual({ swarm: 1.2, candidates: 1.1, minutes: 1.0, iterations: 0.9 });
    expect(py).toEqual(spec);
  });

  it('defaults missing heads to 1 and refuses both styles at once or a bad value', () => {
    expect(parseCalibration({ temperatures: { swarm_id: 2 } }, 'c.json')).toEqual({ ...UNIT_TEMPERATURES, swarm: 2 });
    expect(() => parseCalibration({ temperature: {}, temperatures: {} }, 'd.json')).toThrowError(
      expect.objectContaining({ code: 'CALIBRATION_INVALID' }),
    );
    expect(() => parseCalibration({ temperature: { swarm: -1 } }, 'e.json')).toThrowError(PlannerError);
    expect(() => parseCalibration({ method: 'isotonic' }, 'f.json')).toThrowError(
      expect.objectContaining({ code: 'CALIBRATION_INVALID' }),
    );
  });

  it('changes the probabilities and so the confidence', () => {
    const l = logits({
      swarm: [2, 0],
      candidates: [2, 0, 0, 0],
      minutes: [2, 0, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 2],
    });
    const hot = decodeJoint(l, space, 'code', {
      temperatures: { swarm: 2, candidates: 2, minutes: 2, iterations: 2 },
      confidenceMode: 'geomean',
    });
    const plain = decodeJoint(l, space, 'code', { temperatures: null, confidenceMode: 'geomean' });
    expect(hot.action).toEqual(plain.action);
    expect(hot.confidence).toBeLessThan(plain.confidence);
    expect(hot.probs.swarm[0]).toBeCloseTo(softmax([1, 0])[0], 12);
  });
});
