/**
 * The tfjs plugin's bundle checks (no inference): the weights file is read (model.json manifest against its shards,
 * or model.pt through the restricted unpickler) and every tensor key and shape compared with config.json.
 */
import type { LintProblem } from '../../core/backend/plugin.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { PlannerError } from '../../core/errors.js';
import { bundleDims, readBundleTensors, weightsSource } from './policy-weights.js';
import { stateDictProblems, type StateDictProblem } from './state-dict-check.js';

const SHAPES_REFUSED = Symbol('shapes refused');

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
    // model.pt: keys and shapes are compared before any tensor is materialised; a mismatch stops the read there.
    let problems: StateDictProblem[] | null = null;
    const dims = bundleDims(bundle);
    const check = (shapes: ReadonlyMap<string, readonly number[]>): void => {
      problems = stateDictProblems(shapes, dims);
      if (problems.length > 0) throw SHAPES_REFUSED;
    };
    const tensors = await readBundleTensors(bundle, source, check).catch((e: unknown) =>
      e === SHAPES_REFUSED ? null : Promise.reject(e),
    );
    if (tensors) problems ??= stateDictProblems(new Map([...tensors].map(([k, t]) => [k, t.shape])), dims);
    return ((problems as StateDictProblem[] | null) ?? []).map((p) => ({
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
