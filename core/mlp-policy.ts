/**
 * The spec's MLPPolicy (reference §6.4): trunk dims `[d_in] + [d_hidden // 2**i for i < n_layers]`, each block
 * Linear → LayerNorm(eps 1e-5) → ReLU → Dropout (identity at inference); heads `swarm_head`, `candidates_head`,
 * `minutes_head`, `iterations_head`. This file owns the architecture's names and shapes; backends own the maths.
 */
import type { HeadName } from './action.js';
import { HEAD_NAMES } from './action.js';
import { ErrorCodes, PlannerError } from './errors.js';

export const LAYER_NORM_EPS = 1e-5;
/** Modules per trunk block in the torch Sequential: Linear, LayerNorm, ReLU, Dropout. */
const MODULES_PER_BLOCK = 4;

export interface MlpPolicyDims {
  readonly dIn: number;
  readonly dHidden: number;
  readonly nLayers: number;
  readonly headSizes: Readonly<Record<HeadName, number>>;
}

export interface DenseWeights {
  /** Row-major [out, in], as torch stores Linear.weight. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly outFeatures: number;
  readonly inFeatures: number;
}

export interface TrunkBlockWeights {
  readonly linear: DenseWeights;
  readonly lnWeight: Float32Array;
  readonly lnBias: Float32Array;
}

export interface MlpPolicyWeights {
  readonly dims: MlpPolicyDims;
  readonly trunk: readonly TrunkBlockWeights[];
  readonly heads: Readonly<Record<HeadName, DenseWeights>>;
}

/** `[d_in, d_hidden, d_hidden/2, …]`, n_layers + 1 entries. */
export function trunkWidths(dims: Pick<MlpPolicyDims, 'dIn' | 'dHidden' | 'nLayers'>): number[] {
  const widths = [dims.dIn];
  for (let i = 0; i < dims.nLayers; i++) {
    widths.push(Math.floor(dims.dHidden / 2 ** i));
    // a bad width is refused below; stop here so a huge n_layers cannot grow the array until V8 aborts the process
    if (!Number.isInteger(widths[i + 1]) || widths[i + 1] < 1) break;
  }
  if (widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_SHAPE_MISMATCH,
      `MLPPolicy dims give a zero-width layer: ${widths.join('→')}; lower n_layers or raise d_hidden`,
      {
        context: { widths },
      },
    );
  }
  return widths;
}

export const HEAD_MODULE: Readonly<Record<HeadName, string>> = {
  swarm: 'swarm_head',
  candidates: 'candidates_head',
  minutes: 'minutes_head',
  iterations: 'iterations_head',
};

/** Every state_dict key of the torch module with its shape, in module order. */
export function expectedStateDict(dims: MlpPolicyDims): Array<{ key: string; shape: number[] }> {
  const widths = trunkWidths(dims);
  const out: Array<{ key: string; shape: number[] }> = [];
  for (let i = 0; i < dims.nLayers; i++) {
    const lin = i * MODULES_PER_BLOCK;
    out.push({ key: `trunk.${lin}.weight`, shape: [widths[i + 1], widths[i]] });
    out.push({ key: `trunk.${lin}.bias`, shape: [widths[i + 1]] });
    out.push({ key: `trunk.${lin + 1}.weight`, shape: [widths[i + 1]] });
    out.push({ key: `trunk.${lin + 1}.bias`, shape: [widths[i + 1]] });
  }
  const last = widths[widths.length - 1];
  for (const head of HEAD_NAMES) {
    out.push({ key: `${HEAD_MODULE[head]}.weight`, shape: [dims.headSizes[head], last] });
    out.push({ key: `${HEAD_MODULE[head]}.bias`, shape: [dims.headSizes[head]] });
  }
  return out;
}

/** Reads `d_in`, `d_hidden` (default 512), `n_layers` (default 3) from a bundle config. */
export function dimsFromConfig(
  config: Record<string, unknown>,
  headSizes: Record<HeadName, number>,
  file = 'config.json',
): MlpPolicyDims {
  const num = (key: string, fallback?: number): number => {
    const v = config[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new PlannerError(
        ErrorCodes.BUNDLE_SCHEMA,
        `${file}: "${key}" must be a positive integer, got ${JSON.stringify(config[key])}`,
        {
          context: { file, pointer: `/${key}` },
        },
      );
    }
    return v;
  };
  return { dIn: num('d_in'), dHidden: num('d_hidden', 512), nLayers: num('n_layers', 3), headSizes };
}
