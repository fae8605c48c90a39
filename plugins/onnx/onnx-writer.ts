/**
 * Writes the spec's MLPPolicy (core/mlp-policy.ts) as an ONNX model: input `input` float32 [batch, d_in];
 * per trunk block Gemm → LayerNormalization (opset ≥ 17; decomposed below 17) → Relu; four Gemm heads whose outputs
 * are named `swarm`, `candidates`, `minutes`, `iterations`. Also re-exports the generic graph builder.
 */
import { HEAD_NAMES } from '../../core/action.js';
import { LAYER_NORM_EPS, HEAD_MODULE, type DenseWeights, type MlpPolicyWeights } from '../../core/mlp-policy.js';
import { OnnxDataType, OnnxGraphBuilder, encodeOnnxModel } from './onnx-graph.js';

export * from './onnx-graph.js';

export interface MlpOnnxOptions {
  /** Default 17 (native LayerNormalization); 13–16 decompose LayerNorm into ReduceMean/Sub/Mul/Sqrt/Div. */
  readonly opset?: number;
  readonly inputName?: string;
  /** Output names in head order swarm, candidates, minutes, iterations. */
  readonly outputNames?: readonly string[];
}

export function buildMlpPolicyOnnx(weights: MlpPolicyWeights, opts: MlpOnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? 17;
  const outputNames = opts.outputNames ?? HEAD_NAMES;
  if (outputNames.length !== 4) throw new RangeError('buildMlpPolicyOnnx: outputNames needs exactly 4 names');
  const g = new OnnxGraphBuilder();
  let x = g.input(opts.inputName ?? 'input', OnnxDataType.FLOAT, ['batch', weights.dims.dIn]);
  weights.trunk.forEach((block, i) => {
    const lin = `trunk.${i * 4}`;
    const ln = `trunk.${i * 4 + 1}`;
    x = gemm(g, x, block.linear, lin);
    const scale = g.floats(`${ln}.weight`, [block.lnWeight.length], block.lnWeight);
    const bias = g.floats(`${ln}.bias`, [block.lnBias.length], block.lnBias);
    x =
      opset >= 17
        ? g.node('LayerNormalization', [x, scale, bias], { axis: { i: -1 }, epsilon: { f: LAYER_NORM_EPS } })
        : layerNormDecomposed(g, x, scale, bias, opset);
    x = g.node('Relu', [x]);
  });
  HEAD_NAMES.forEach((head, i) => {
    const out = g.output(outputNames[i], OnnxDataType.FLOAT, ['batch', weights.dims.headSizes[head]]);
    gemm(g, x, weights.heads[head], HEAD_MODULE[head], out);
  });
  return encodeOnnxModel(g.toModel(opset, { producerName: 'cyntra-planner.mlp-policy' }));
}

/** torch Linear as Gemm(x, W[out,in], b, transB=1). */
export function gemm(g: OnnxGraphBuilder, x: string, dense: DenseWeights, prefix: string, out?: string): string {
  const w = g.floats(`${prefix}.weight`, [dense.outFeatures, dense.inFeatures], dense.weight);
  const b = g.floats(`${prefix}.bias`, [dense.outFeatures], dense.bias);
  return g.node('Gemm', [x, w, b], { transB: { i: 1 } }, out);
}

/** LayerNorm over the last axis for opsets without LayerNormalization (ReduceMean keeps `axes` as an attribute < 18). */
function layerNormDecomposed(g: OnnxGraphBuilder, x: string, scale: string, bias: string, opset: number): string {
  if (opset >= 18) throw new RangeError('layerNormDecomposed is only for opsets below 17');
  const mean = g.node('ReduceMean', [x], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const d = g.node('Sub', [x, mean]);
  const variance = g.node('ReduceMean', [g.node('Mul', [d, d])], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const eps = g.floats(g.tmp('ln_eps'), [], [LAYER_NORM_EPS]);
  const norm = g.node('Div', [d, g.node('Sqrt', [g.node('Add', [variance, eps])])]);
  return g.node('Add', [g.node('Mul', [norm, scale]), bias]);
}
