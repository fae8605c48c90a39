/** Checks a loaded state_dict against the MLPPolicy the bundle config describes and turns it into `MlpPolicyWeights`. */
import { HEAD_NAMES } from '../../core/action.js';
import { PlannerError } from '../../core/errors.js';
import {
  expectedStateDict,
  HEAD_MODULE,
  trunkWidths,
  type DenseWeights,
  type MlpPolicyDims,
  type MlpPolicyWeights,
} from '../../core/mlp-policy.js';
import type { LoadedTensor } from './torch-checkpoint.js';

export interface StateDictProblem {
  readonly key: string;
  readonly message: string;
}

/** Every missing, extra or mis-shaped key (empty when the state_dict fits `dims`). */
export function stateDictProblems(
  shapes: ReadonlyMap<string, readonly number[]>,
  dims: MlpPolicyDims,
): StateDictProblem[] {
  const problems: StateDictProblem[] = [];
  const expected = expectedStateDict(dims);
  const known = new Set(expected.map((e) => e.key));
  for (const { key, shape } of expected) {
    const got = shapes.get(key);
    if (!got) problems.push({ key, message: `missing tensor "${key}" (expected shape [${shape}])` });
    else if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
      problems.push({ key, message: `tensor "${key}" has shape [${got}], config.json implies [${shape}]` });
    }
  }
  for (const key of shapes.keys())
    if (!known.has(key))
      problems.push({ key, message: `unexpected tensor "${key}" (not part of the MLPPolicy config.json describes)` });
  return problems;
}

/** Throws TORCH_STATE_DICT_MISMATCH naming the first bad key; returns the weights otherwise. */
export function checkStateDict(
  sd: ReadonlyMap<string, LoadedTensor>,
  dims: MlpPolicyDims,
  where = 'model.pt',
): MlpPolicyWeights {
  checkStateDictShapes(new Map([...sd].map(([k, t]) => [k, t.shape])), dims, where);
  return weightsFromTensors((key) => sd.get(key)!.data, dims);
}

/** Throws TORCH_STATE_DICT_MISMATCH naming the first bad key (usable before any tensor is materialised). */
export function checkStateDictShapes(
  shapes: ReadonlyMap<string, readonly number[]>,
  dims: MlpPolicyDims,
  where = 'model.pt',
): void {
  const problems = stateDictProblems(shapes, dims);
  if (problems.length > 0) {
    throw new PlannerError(
      'TORCH_STATE_DICT_MISMATCH',
      `${where}: ${problems[0].message}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}; check d_in/d_hidden/n_layers in config.json and the action space sizes`,
      {
        context: { file: where, key: problems[0].key, keys: problems.map((p) => p.key) },
      },
    );
  }
}

/** Builds `MlpPolicyWeights` from a key → data accessor whose shapes were already checked. */
export function weightsFromTensors(get: (key: string) => Float32Array, dims: MlpPolicyDims): MlpPolicyWeights {
  const widths = trunkWidths(dims);
  const dense = (prefix: string, out: number, inp: number): DenseWeights => ({
    weight: get(`${prefix}.weight`),
    bias: get(`${prefix}.bias`),
    outFeatures: out,
    inFeatures: inp,
  });
  const trunk = widths.slice(1).map((w, i) => ({
    linear: dense(`trunk.${i * 4}`, w, widths[i]),
    lnWeight: get(`trunk.${i * 4 + 1}.weight`),
    lnBias: get(`trunk.${i * 4 + 1}.bias`),
  }));
  const last = widths[widths.length - 1];
  const heads = Object.fromEntries(
    HEAD_NAMES.map((h) => [h, dense(HEAD_MODULE[h], dims.headSizes[h], last)]),
  ) as unknown as MlpPolicyWeights['heads'];
  return { dims, trunk, heads };
}

/** The state_dict (key → {shape, data}) of `weights`, in module order: the inverse of `weightsFromTensors`. */
export function tensorsFromWeights(weights: MlpPolicyWeights): Map<string, LoadedTensor> {
  const out = new Map<string, LoadedTensor>();
  const byKey = new Map<string, Float32Array>();
  weights.trunk.forEach((b, i) => {
    byKey.set(`trunk.${i * 4}.weight`, b.linear.weight).set(`trunk.${i * 4}.bias`, b.linear.bias);
    byKey.set(`trunk.${i * 4 + 1}.weight`, b.lnWeight).set(`trunk.${i * 4 + 1}.bias`, b.lnBias);
  });
  for (const h of HEAD_NAMES)
    byKey.set(`${HEAD_MODULE[h]}.weight`, weights.heads[h].weight).set(`${HEAD_MODULE[h]}.bias`, weights.heads[h].bias);
  for (const { key, shape } of expectedStateDict(weights.dims)) out.set(key, { shape, data: byKey.get(key)! });
  return out;
}
