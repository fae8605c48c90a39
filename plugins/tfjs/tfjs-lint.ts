/**
 * The tfjs plugin's bundle checks (no inference): the weights file is read (model.json manifest against its shards,
 * or model.pt through the restricted unpickler) and every tensor key and shape compared with config.json.
 */
import type { LintProblem } from '../../core/backend/plugin.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { PlannerError } from '../../core/errors.js';
import { bundleDims, readBundleTensors, weightsSource } from './policy-weights.js';
import { stateDictProblems } from './state-dict-check.js';

function fromError(error: unknown, file: string): LintProblem {
  if (!(error instanceof PlannerError)) throw error;
  const ctxFile = typeof error.context.file === 'string' ? error.context.file : file;
  const pointer = typeof error.context.pointer === 'string' ? error.context.pointer : '';
  return { severity: 'error', code: error.code, file: ctxFile, pointer, message: error.message };
}

export async function lintTfjsBundle(bundle: Bundle): Promise<LintProblem[]> {
  let source: ReturnType<typeof weightsSource>;
  try {
    source = weightsSource(bundle);
  } catch (error) {
    return [fromError(error, '')];
  }
  try {
    const tensors = await readBundleTensors(bundle, source);
    const shapes = new Map([...tensors].map(([k, t]) => [k, t.shape]));
    return stateDictProblems(shapes, bundleDims(bundle)).map((p) => ({
      severity: 'error' as const,
      code: 'TORCH_STATE_DICT_MISMATCH',
      file: source,
      pointer: source === 'model.json' ? '/weightsManifest' : '',
      message: p.message,
    }));
  } catch (error) {
    return [fromError(error, source)];
  }
}
