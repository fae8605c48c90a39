import { describe, expect, it } from 'vitest';
import { softmax } from '../../core/decode.js';
import { mulberry32, type Random } from '../../core/prng.js';
import { T_MAX, T_MIN, fitTemperature, nll, type HeadExample } from '../../core/eval/temperature-fit.js';

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Logits z ~ 3·N(0,1); labels drawn from softmax(z / T): the NLL-optimal temperature is T. */
function synthetic(trueT: number, n: number, classes: number, seed: number): HeadExample[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const logits = Float32Array.from({ length: classes }, () => 3 * normal(random));
    const p = softmax(logits, trueT);
    let u = random();
    let label = 0;
    while (label < classes - 1 && u >= p[label]) u -= p[label++];
    return { logits, label };
  });
}

describe('temperature fit', () => {
  it.each([
    [0.5, 2, 11],
    [1, 4, 12],
    [2.5, 6, 13],
    [4, 5, 14],
  ])('recovers T=%s from labels sampled under softmax(z/T) (%s classes)', (trueT, classes, seed) => {
    const examples = synthetic(trueT, 3000, classes, seed);
    const fit = fitTemperature(examples, 1);
    expect(Math.abs(Math.log(fit.temperature / trueT))).toBeLessThan(0.12);
    expect(fit.atBound).toBe(false);
    expect(fit.nllAfter!).toBeLessThanOrEqual(fit.nllBefore! + 1e-12);
    // a local check that it is the minimum: nudging T either way does not lower the NLL
    for (const f of [0.97, 1.03])
      expect(nll(examples, fit.temperature * f)!).toBeGreaterThanOrEqual(fit.nllAfter! - 1e-12);
  });

  it('NLL is the mean of logsumexp(z/T) − z_y/T', () => {
    const examples: HeadExample[] = [
      { logits: [1, 2, 3], label: 0 },
      { logits: [0, 0], label: 1 },
    ];
    const expected = (-Math.log(softmax([1, 2, 3], 2)[0]) - Math.log(0.5)) / 2;
    expect(nll(examples, 2)).toBeCloseTo(expected, 12);
    expect(nll([], 1)).toBeNull();
  });

  it('separable labels push T to the lower bound and say so; labels against the logits push it up', () => {
    const right = fitTemperature([
      { logits: [5, 0], label: 0 },
      { logits: [0, 5], label: 1 },
    ]);
    expect(right.temperature).toBeCloseTo(T_MIN, 6);
    expect(right.atBound).toBe(true);
    const wrong = fitTemperature([
      { logits: [5, 0], label: 1 },
      { logits: [0, 5], label: 0 },
    ]);
    expect(wrong.temperature).toBeCloseTo(T_MAX, 6);
    expect(wrong.atBound).toBe(true);
  });

  it('no examples: the old temperature is kept', () => {
    expect(fitTemperature([], 1.7)).toEqual({
      temperature: 1.7,
      nllBefore: null,
      nllAfter: null,
      examples: 0,
      atBound: false,
    });
  });
});
