/**
 * The MLPPolicy weights of a bundle: from `model.json` (+ shards) when present, else from `model.pt` (a torch
 * state_dict). A bundle with both is served from `model.json` (the converter's output, no unpickling needed);
 * either way every key and shape is checked against config.json and the action space.
 */
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import { dimsFromConfig, type MlpPolicyDims, type MlpPolicyWeights } from '../../core/mlp-policy.js';
import { checkStateDict, checkStateDictShapes } from './state-dict-check.js';
import { loadTorchStateDict, type LoadedTensor } from './torch-checkpoint.js';
import { readTfjsWeights } from './tfjs-weights-io.js';
import { DEFAULT_ZIP_LIMITS } from './zip-archive.js';

export type WeightsSource = 'model.json' | 'model.pt';

export function bundleDims(bundle: Pick<Bundle, 'config' | 'actionSpace'>): MlpPolicyDims {
  if (!bundle.config) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_FILE_MISSING,
      'the tfjs backend needs config.json (d_in, d_hidden, n_layers) next to the weights',
      { context: { file: 'config.json' } },
    );
  }
  const headSizes = Object.fromEntries(HEAD_NAMES.map((h) => [h, bundle.actionSpace.headSize(h)])) as Record<
    HeadName,
    number
  >;
  return dimsFromConfig(bundle.config, headSizes);
}

export function weightsSource(bundle: Pick<Bundle, 'has'>): WeightsSource {
  if (bundle.has('model.json')) return 'model.json';
  if (bundle.has('model.pt')) return 'model.pt';
  throw new PlannerError(
    ErrorCodes.BUNDLE_FILE_MISSING,
    'the tfjs backend needs model.json (TensorFlow.js weights) or model.pt (a torch state_dict) in the bundle',
    {
      context: { file: 'model.pt' },
    },
  );
}

/** The raw tensors of the bundle's weights file; `checkShapes` (model.pt) runs before any tensor is materialised. */
export async function readBundleTensors(
  bundle: Bundle,
  source: WeightsSource = weightsSource(bundle),
  checkShapes?: (shapes: ReadonlyMap<string, readonly number[]>) => void,
): Promise<Map<string, LoadedTensor>> {
  if (source === 'model.json') return readTfjsWeights(bundle, 'model.json');
  // torch stores its zip entries uncompressed: the inflated size is bounded like the file itself
  const zipLimits = { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: bundle.maxFileBytes };
  return loadTorchStateDict(await bundle.readFile('model.pt'), { where: 'model.pt', zipLimits, checkShapes });
}

export async function loadPolicyWeights(bundle: Bundle): Promise<{ weights: MlpPolicyWeights; source: WeightsSource }> {
  const source = weightsSource(bundle);
  const dims = bundleDims(bundle);
  const tensors = await readBundleTensors(bundle, source, (shapes) => checkStateDictShapes(shapes, dims, source));
  return { weights: checkStateDict(tensors, dims, source), source };
}
