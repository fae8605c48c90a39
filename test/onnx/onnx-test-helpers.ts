/** Shared helpers for the ONNX tests: plain-TypeScript reference forward passes and temporary bundles. */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { InferBatch } from '../../core/backend/plugin.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { LAYER_NORM_EPS, type DenseWeights, type MlpPolicyWeights } from '../../core/mlp-policy.js';
import { silentLogger } from '../../core/logger.js';
import { ACTION_SPACE_JSON } from '../../fixtures/tools/make-onnx-fixtures.js';
import type { TokenModelWeights } from '../../fixtures/tools/onnx-fixture-models.js';
import { makeTempDir } from '../support/temp-dir.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const BUNDLES = join(REPO, 'fixtures', 'bundles');
export const ctx = { logger: silentLogger, options: {} };

function linear(x: Float64Array, d: DenseWeights): Float64Array {
  const out = new Float64Array(d.outFeatures);
  for (let o = 0; o < d.outFeatures; o++) {
    let s = d.bias[o];
    for (let i = 0; i < d.inFeatures; i++) s += d.weight[o * d.inFeatures + i] * x[i];
    out[o] = s;
  }
  return out;
}

/** MLPPolicy forward in float64: Linear → LayerNorm → ReLU per block, then the four heads. */
export function mlpForward(w: MlpPolicyWeights, input: ArrayLike<number>): Record<HeadName, Float64Array> {
  let x = Float64Array.from(input);
  for (const block of w.trunk) {
    const h = linear(x, block.linear);
    const mean = h.reduce((a, b) => a + b, 0) / h.length;
    const variance = h.reduce((a, b) => a + (b - mean) ** 2, 0) / h.length;
    x = h.map((v, i) =>
      Math.max(0, ((v - mean) / Math.sqrt(variance + LAYER_NORM_EPS)) * block.lnWeight[i] + block.lnBias[i]),
    );
  }
  const out = {} as Record<HeadName, Float64Array>;
  for (const head of HEAD_NAMES) out[head] = linear(x, w.heads[head]);
  return out;
}

/** PlannerMLP forward: embedding, masked mean pool, Linear/SiLU ×2, heads. */
export function tokenForward(
  w: TokenModelWeights,
  ids: ArrayLike<bigint>,
  mask: ArrayLike<bigint>,
): Record<HeadName, Float64Array> {
  const pooled = new Float64Array(w.dModel);
  let count = 0;
  for (let t = 0; t < ids.length; t++) {
    const m = Number(mask[t]);
    count += m;
    const row = Number(ids[t]) * w.dModel;
    for (let d = 0; d < w.dModel; d++) pooled[d] += w.embedding[row + d] * m;
  }
  const x0 = pooled.map((v) => v / Math.max(count, 1));
  const silu = (v: Float64Array): Float64Array => v.map((z) => z / (1 + Math.exp(-z)));
  const x = silu(linear(silu(linear(x0, w.mlp0)), w.mlp3));
  const out = {} as Record<HeadName, Float64Array>;
  for (const head of HEAD_NAMES) out[head] = linear(x, w.heads[head]);
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function featuresBatch(rows: readonly Float32Array[], dIn: number): InferBatch {
  const data = new Float32Array(rows.length * dIn);
  rows.forEach((r, i) => data.set(r, i * dIn));
  return { inputs: [], encoded: { kind: 'features', size: rows.length, dIn, data } };
}

/** A temporary spec bundle around `model` (config d_in given), loaded through the core loader. */
export async function tempSpecBundle(
  model: Uint8Array,
  dIn: number,
  extra: Record<string, string | Uint8Array> = {},
  actionSpace: unknown = ACTION_SPACE_JSON,
): Promise<Bundle> {
  const dir = makeTempDir('onnx-test-');
  const bundleDir = join(dir, 'bundle');
  mkdirSync(bundleDir);
  writeFileSync(join(bundleDir, 'model.onnx'), model);
  writeFileSync(join(bundleDir, 'config.json'), JSON.stringify({ model_type: 'mlp', d_in: dIn }));
  writeFileSync(join(bundleDir, 'action_space.json'), JSON.stringify(actionSpace));
  for (const [name, data] of Object.entries(extra)) writeFileSync(join(bundleDir, name), data);
  return loadBundle(bundleDir);
}

export function rand32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let t = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
  };
}

export function randomRows(n: number, dIn: number, seed: number): Float32Array[] {
  const r = rand32(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dIn }, () => r() * 4 - 2));
}
