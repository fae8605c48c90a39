/**
 * Temperature scaling, one head at a time: the temperature T minimising the mean negative log-likelihood
 * NLL(T) = mean_i [logsumexp(z_i / T) − z_i[y_i] / T] of the labels under softmax(z / T) on the raw logits.
 * NLL is convex in 1/T, hence unimodal in log T, so a golden-section search on log T over a bounded range
 * [ln T_MIN, ln T_MAX] finds the minimum without derivatives or step sizes. A minimum at a bound is reported as
 * such (the data want a temperature outside the range: e.g. perfectly separable labels push T towards 0).
 */

export const T_MIN = 0.05;
export const T_MAX = 20;

/** One example of one head: raw logits and the label's class index. */
export interface HeadExample {
  readonly logits: ArrayLike<number>;
  readonly label: number;
}

export function nll(examples: readonly HeadExample[], temperature: number): number | null {
  if (examples.length === 0) return null;
  let total = 0;
  for (const { logits, label } of examples) {
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / temperature);
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] / temperature - max);
    total += max + Math.log(sum) - logits[label] / temperature;
  }
  return total / examples.length;
}

export interface TemperatureFit {
  readonly temperature: number;
  readonly nllBefore: number | null;
  readonly nllAfter: number | null;
  readonly examples: number;
  /** True when the minimum lies at T_MIN or T_MAX. */
  readonly atBound: boolean;
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** Golden-section search on log T; `before` is the temperature the bundle had (for `nllBefore`). */
export function fitTemperature(examples: readonly HeadExample[], before = 1, tolerance = 1e-7): TemperatureFit {
  if (examples.length === 0)
    return { temperature: before, nllBefore: null, nllAfter: null, examples: 0, atBound: false };
  const f = (logT: number): number => nll(examples, Math.exp(logT))!;
  let a = Math.log(T_MIN);
  let b = Math.log(T_MAX);
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
  }
  let logT = (a + b) / 2;
  // The search cannot see past its bounds; compare with the end points so a monotone NLL lands on the bound.
  for (const end of [Math.log(T_MIN), Math.log(T_MAX)]) if (f(end) < f(logT)) logT = end;
  const temperature = Math.exp(logT);
  const atBound = Math.abs(logT - Math.log(T_MIN)) < 1e-3 || Math.abs(logT - Math.log(T_MAX)) < 1e-3;
  return {
    temperature,
    nllBefore: nll(examples, before),
    nllAfter: nll(examples, temperature),
    examples: examples.length,
    atBound,
  };
}
