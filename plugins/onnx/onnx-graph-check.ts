/**
 * What an ONNX graph means for a bundle, decided from the graph metadata alone (plugins/onnx/onnx-reader.ts):
 * which model file, which input flavour (float features or Python-planner tokens), which output feeds which head,
 * and every mismatch with config.json / the action space as a lint problem. The loader throws the first error.
 */
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { LintProblem, SessionInputSpec } from '../../core/backend/plugin.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { ErrorCodes } from '../../core/errors.js';
import { OnnxDataType } from './onnx-graph.js';
import { ONNX_WEIGHTS_NONFINITE } from './onnx-weights.js';
import { defaultOpset, type OnnxModelInfo, type OnnxValueInfo } from './onnx-reader.js';

export const ONNX_OUTPUT_MISMATCH = 'ONNX_OUTPUT_MISMATCH';
export const ONNX_INPUT_MISMATCH = 'ONNX_INPUT_MISMATCH';
export const ONNX_EXTERNAL_DATA = 'ONNX_EXTERNAL_DATA';
/** seq_len the Python planner uses when the graph's input_ids dim 1 is not static (reference §6.3). */
export const DEFAULT_SEQ_LEN = 512;

const OUTPUT_NAME_SETS: ReadonlyArray<Readonly<Record<HeadName, string>>> = [
  { swarm: 'swarm', candidates: 'candidates', minutes: 'minutes', iterations: 'iterations' },
  {
    swarm: 'logits_swarm_id',
    candidates: 'logits_max_candidates_bin',
    minutes: 'logits_max_minutes_bin',
    iterations: 'logits_max_iterations_bin',
  },
];

export interface OnnxSessionPlan {
  readonly modelFile: string;
  readonly input: Exclude<SessionInputSpec, { kind: 'raw' }>;
  /** Graph input names to feed: [features] or [input_ids, attention_mask]. */
  readonly inputNames: readonly string[];
  /** Graph output name per head. */
  readonly outputs: Readonly<Record<HeadName, string>>;
  readonly outputMapping: 'name' | 'position';
  readonly opset: number | null;
}

export interface GraphCheck {
  readonly problems: LintProblem[];
  readonly plan: OnnxSessionPlan | null;
}

/** The ONNX file a bundle serves: spec bundles prefer model.onnx, Python bundles planner.onnx. */
export function modelFileOf(bundle: Pick<Bundle, 'flavor' | 'files'>): string | null {
  const order = bundle.flavor === 'python' ? ['planner.onnx', 'model.onnx'] : ['model.onnx', 'planner.onnx'];
  return order.find((f) => Object.prototype.hasOwnProperty.call(bundle.files, f)) ?? null;
}

type BundleFacts = Pick<Bundle, 'config' | 'actionSpace'>;

export function checkOnnxGraph(info: OnnxModelInfo, bundle: BundleFacts, modelFile: string): GraphCheck {
  const problems: LintProblem[] = [];
  const err = (code: string, message: string): void =>
    void problems.push({ severity: 'error', code, file: modelFile, pointer: '', message: `${modelFile}: ${message}` });
  for (const bad of info.nonFinite) {
    err(
      ONNX_WEIGHTS_NONFINITE,
      `tensor "${bad.tensor}" holds NaN or Infinity (element ${bad.index}); the model cannot give finite logits, re-train or re-export it`,
    );
  }
  for (const ext of info.externalData) {
    err(
      ONNX_EXTERNAL_DATA,
      `tensor "${ext.tensor}" keeps its data in external file "${ext.location}"; external data is not supported, re-export with the weights inside the model`,
    );
  }
  const tokens = info.inputs.some((i) => i.name === 'input_ids');
  const input = tokens ? tokenInput(info, err) : featureInput(info, bundle, err);
  const outputs = tokens ? byPosition(info, err) : mapOutputs(info, err);
  if (outputs) checkOutputWidths(info, outputs.map, bundle, err);
  const ok = input && outputs && !problems.some((p) => p.severity === 'error');
  const plan = ok
    ? {
        modelFile,
        input: input.spec,
        inputNames: input.names,
        outputs: outputs.map,
        outputMapping: outputs.how,
        opset: defaultOpset(info),
      }
    : null;
  return { problems, plan };
}

type Err = (code: string, message: string) => void;

function tokenInput(info: OnnxModelInfo, err: Err) {
  const ids = info.inputs.find((i) => i.name === 'input_ids');
  const mask = info.inputs.find((i) => i.name === 'attention_mask');
  if (!ids || !mask || info.inputs.length !== 2) {
    err(
      ONNX_INPUT_MISMATCH,
      `a token model needs exactly the inputs input_ids and attention_mask, found ${names(info.inputs)}`,
    );
    return null;
  }
  for (const v of [ids, mask]) {
    if (v.elemType !== OnnxDataType.INT64)
      err(ONNX_INPUT_MISMATCH, `input ${v.name} must be int64, found type ${v.elemType}`);
  }
  const dim = ids.dims?.[1];
  const seqLen = typeof dim === 'number' && dim > 0 ? dim : DEFAULT_SEQ_LEN;
  return { spec: { kind: 'tokens' as const, seqLen }, names: ['input_ids', 'attention_mask'] };
}

function featureInput(info: OnnxModelInfo, bundle: BundleFacts, err: Err) {
  if (info.inputs.length !== 1) {
    err(ONNX_INPUT_MISMATCH, `a features model needs one float32 input [batch, d_in], found ${names(info.inputs)}`);
    return null;
  }
  const v = info.inputs[0];
  if (v.elemType !== OnnxDataType.FLOAT)
    err(ONNX_INPUT_MISMATCH, `input ${v.name} must be float32, found type ${v.elemType}`);
  if (v.dims !== null && v.dims.length !== 2)
    err(ONNX_INPUT_MISMATCH, `input ${v.name} must be 2-D [batch, d_in], found ${v.dims.length} dims`);
  const graphDIn = typeof v.dims?.[1] === 'number' ? v.dims[1] : null;
  const configDIn = bundle.config?.d_in;
  if (graphDIn !== null && typeof configDIn === 'number' && graphDIn !== configDIn) {
    err(
      ErrorCodes.BUNDLE_SHAPE_MISMATCH,
      `input ${v.name} is ${graphDIn} wide but config.json d_in is ${configDIn}; re-export the model or fix config.json`,
    );
  }
  const dIn = graphDIn ?? (typeof configDIn === 'number' ? configDIn : null);
  if (dIn === null) {
    err(
      ONNX_INPUT_MISMATCH,
      `input ${v.name} has no static width and config.json has no d_in; state d_in in config.json`,
    );
    return null;
  }
  return { spec: { kind: 'features' as const, dIn }, names: [v.name] };
}

function byPosition(info: OnnxModelInfo, err: Err): { map: Record<HeadName, string>; how: 'position' } | null {
  if (info.outputs.length !== 4) {
    err(
      ONNX_OUTPUT_MISMATCH,
      `the model has ${info.outputs.length} outputs (${names(info.outputs)}); exactly 4 head logits are required`,
    );
    return null;
  }
  const map = {} as Record<HeadName, string>;
  HEAD_NAMES.forEach((head, i) => (map[head] = info.outputs[i].name));
  return { map, how: 'position' };
}

/** By name when one known naming covers all four outputs; by position when no output name is known. */
function mapOutputs(info: OnnxModelInfo, err: Err): { map: Record<HeadName, string>; how: 'name' | 'position' } | null {
  const outNames = new Set(info.outputs.map((o) => o.name));
  for (const set of OUTPUT_NAME_SETS) {
    if (HEAD_NAMES.every((h) => outNames.has(set[h]))) return { map: { ...set }, how: 'name' };
  }
  const known = OUTPUT_NAME_SETS.some((set) => HEAD_NAMES.some((h) => outNames.has(set[h])));
  if (known) {
    err(
      ONNX_OUTPUT_MISMATCH,
      `outputs ${names(info.outputs)} name some heads but not all four; name them swarm/candidates/minutes/iterations`,
    );
    return null;
  }
  return byPosition(info, err);
}

function checkOutputWidths(info: OnnxModelInfo, map: Record<HeadName, string>, bundle: BundleFacts, err: Err): void {
  for (const head of HEAD_NAMES) {
    const out = info.outputs.find((o) => o.name === map[head]);
    const width = out?.dims?.[out.dims.length - 1];
    if (out && out.elemType !== null && out.elemType !== OnnxDataType.FLOAT)
      err(ONNX_OUTPUT_MISMATCH, `output ${out.name} must be float32, found type ${out.elemType}`);
    const expected = bundle.actionSpace.headSize(head);
    if (typeof width === 'number' && width !== expected) {
      err(
        ErrorCodes.BUNDLE_SHAPE_MISMATCH,
        `output ${map[head]} (${head} head) is ${width} wide but the action space has ${expected} ${head === 'swarm' ? 'swarm ids' : 'bins'}; retrain or fix action_space.json`,
      );
    }
  }
}

function names(values: readonly OnnxValueInfo[]): string {
  return `[${values.map((v) => v.name).join(', ')}]`;
}
