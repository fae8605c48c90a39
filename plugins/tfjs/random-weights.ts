/** Deterministic random MLPPolicy weights (tests, benchmarks): a seeded xorshift, torch-like init scales. */
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import { trunkWidths, type DenseWeights, type MlpPolicyDims, type MlpPolicyWeights } from '../../core/mlp-policy.js';

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function randomMlpPolicyWeights(dims: MlpPolicyDims, seed = 1): MlpPolicyWeights {
  const rand = xorshift(seed);
  const uniform = (n: number, lo: number, hi: number): Float32Array =>
    Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
  const dense = (out: number, inp: number): DenseWeights => {
    const k = 1 / Math.sqrt(inp);
    return { weight: uniform(out * inp, -k, k), bias: uniform(out, -k, k), outFeatures: out, inFeatures: inp };
  };
  const widths = trunkWidths(dims);
  const trunk = widths
    .slice(1)
    .map((w, i) => ({ linear: dense(w, widths[i]), lnWeight: uniform(w, 0.5, 1.5), lnBias: uniform(w, -0.3, 0.3) }));
  const last = widths[widths.length - 1];
  const heads = Object.fromEntries(HEAD_NAMES.map((h) => [h, dense(dims.headSizes[h], last)])) as Record<
    HeadName,
    DenseWeights
  >;
  return { dims, trunk, heads };
}
