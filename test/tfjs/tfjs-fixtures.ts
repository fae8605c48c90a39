/** Shared helpers of the tfjs tests: fixture bundles, expected logits, temp bundles written from TS weights. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import type { MlpPolicyDims, MlpPolicyWeights } from '../../core/mlp-policy.js';
import { tensorsFromWeights } from '../../plugins/tfjs/state-dict-check.js';
import { encodeTfjsWeights } from '../../plugins/tfjs/tfjs-weights-io.js';
import { defaultActionSpaceFile } from '../../core/action-space.js';
import { makeTempDir } from '../support/temp-dir.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/bundles');
export const fixture = (name: string): string => join(FIXTURES, name);

export const SMALL_DIMS: MlpPolicyDims = {
  dIn: 64,
  dHidden: 32,
  nLayers: 2,
  headSizes: { swarm: 2, candidates: 4, minutes: 6, iterations: 5 },
};

export interface Expected {
  readonly inputs: number[][];
  readonly logits: Record<HeadName, number[][]>;
}

export function readExpected(name: string): Expected {
  return JSON.parse(readFileSync(join(fixture(name), 'expected.json'), 'utf8')) as Expected;
}

export function expectedInputs(e: Expected): Float32Array {
  return Float32Array.from(e.inputs.flat());
}

/** Largest absolute difference between our logits and torch's. */
export function maxAbsDiff(got: readonly HeadLogits[], e: Expected): number {
  if (got.length !== e.inputs.length) return Infinity;
  let max = 0;
  got.forEach((logits, i) => {
    for (const h of HEAD_NAMES) {
      const want = e.logits[h][i];
      if (logits[h].length !== want.length) max = Infinity;
      want.forEach((v, j) => (max = Math.max(max, Math.abs(logits[h][j] - v))));
    }
  });
  return max;
}

export const ACTION_SPACE = defaultActionSpaceFile();

export function tempDir(prefix = 'tfjs-test-'): string {
  return makeTempDir(prefix);
}

/** A tfjs bundle (config, action space, model.json, shard) for `weights` in a fresh temp dir. */
export function writeTfjsBundle(weights: MlpPolicyWeights, dir = tempDir()): string {
  const { dIn, dHidden, nLayers } = weights.dims;
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  writeFileSync(
    join(dir, 'config.json'),
    json({ model_type: 'tfjs', d_in: dIn, d_hidden: dHidden, n_layers: nLayers, encoder: 'features.v1' }),
  );
  writeFileSync(join(dir, 'action_space.json'), json(ACTION_SPACE));
  const { modelJson, shards } = encodeTfjsWeights(tensorsFromWeights(weights));
  writeFileSync(join(dir, 'model.json'), json(modelJson));
  for (const [name, bytes] of shards) writeFileSync(join(dir, name), bytes);
  return dir;
}
