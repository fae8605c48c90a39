/**
 * The spec's full-size MLPPolicy (d_in 3779, d_hidden 512, n_layers 3) written as two bundles with the same
 * seeded weights: `model.onnx` (for the onnx backend and bare onnxruntime) and `model.json` + shard (for tfjs).
 * Uses the ONNX and tfjs helpers' writers; throws if they are not built.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultActionSpaceFile } from '../core/action-space.js';

export const FULL_SIZE = {
  dIn: 3779,
  dHidden: 512,
  nLayers: 3,
  headSizes: { swarm: 2, candidates: 4, minutes: 6, iterations: 5 },
} as const;

const ACTION_SPACE = defaultActionSpaceFile();

export interface FullSizeBundles {
  readonly root: string;
  readonly onnxDir: string;
  readonly tfjsDir: string;
  readonly onnxModel: string;
}

function writeCommon(dir: string, modelType: string): void {
  mkdirSync(dir, { recursive: true });
  const config = {
    model_type: modelType,
    d_in: FULL_SIZE.dIn,
    d_hidden: FULL_SIZE.dHidden,
    n_layers: FULL_SIZE.nLayers,
    encoder: 'features.v1',
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'action_space.json'), JSON.stringify(ACTION_SPACE, null, 2));
}

export async function makeFullSizeBundles(): Promise<FullSizeBundles> {
  const { randomMlpPolicyWeights } = await import('../plugins/tfjs/random-weights.js');
  const { buildMlpPolicyOnnx } = await import('../plugins/onnx/onnx-writer.js');
  const { tensorsFromWeights } = await import('../plugins/tfjs/state-dict-check.js');
  const { encodeTfjsWeights } = await import('../plugins/tfjs/tfjs-weights-io.js');
  const weights = randomMlpPolicyWeights(FULL_SIZE, 2026);
  const root = mkdtempSync(join(tmpdir(), 'cyntra-bench-'));
  const onnxDir = join(root, 'onnx-full');
  writeCommon(onnxDir, 'onnx');
  const onnxModel = join(onnxDir, 'model.onnx');
  writeFileSync(onnxModel, buildMlpPolicyOnnx(weights));
  const tfjsDir = join(root, 'tfjs-full');
  writeCommon(tfjsDir, 'tfjs');
  const encoded = encodeTfjsWeights(tensorsFromWeights(weights));
  writeFileSync(join(tfjsDir, 'model.json'), JSON.stringify(encoded.modelJson));
  for (const [name, bytes] of encoded.shards) writeFileSync(join(tfjsDir, name), bytes);
  return { root, onnxDir, tfjsDir, onnxModel };
}
