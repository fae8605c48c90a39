import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { BackendSession } from '../../core/backend/plugin.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { PlannerError } from '../../core/errors.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import {
  buildMlpPolicyOnnx,
  gemm,
  OnnxDataType,
  OnnxGraphBuilder,
  encodeOnnxModel,
} from '../../plugins/onnx/onnx-writer.js';
import { DEFAULT_HEAD_SIZES, makeMlpWeights } from '../../fixtures/tools/onnx-fixture-models.js';
import { SPEC_SMALL } from '../../fixtures/tools/make-onnx-fixtures.js';
import {
  BUNDLES,
  ctx,
  featuresBatch,
  maxAbsDiff,
  mlpForward,
  randomRows,
  tempSpecBundle,
} from './onnx-test-helpers.js';

const sessions: BackendSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

async function open(bundle: Parameters<typeof onnxPlugin.createSession>[0]): Promise<BackendSession> {
  await onnxPlugin.init({ logger: ctx.logger });
  const s = await onnxPlugin.createSession(bundle, ctx);
  sessions.push(s);
  return s;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlannerError);
    return (error as PlannerError).code;
  }
  return 'no error';
}

const smallDims = { dIn: 40, dHidden: 16, nLayers: 2, headSizes: DEFAULT_HEAD_SIZES };

describe('onnx plugin: numerics', () => {
  it('matches torch logits on the torch-ref bundle within 1e-5', async () => {
    const bundle = await loadBundle(join(BUNDLES, 'torch-ref'));
    const expected = JSON.parse(readFileSync(join(BUNDLES, 'torch-ref', 'expected.json'), 'utf8')) as {
      inputs: number[][];
      logits: Record<HeadName, number[][]>;
    };
    const session = await open(bundle);
    expect(session.input).toEqual({ kind: 'features', dIn: 24 });
    expect(session.info.opset).toBe(14);
    const out = await session.infer(
      featuresBatch(
        expected.inputs.map((r) => Float32Array.from(r)),
        24,
      ),
    );
    expect(out).toHaveLength(expected.inputs.length);
    out.forEach((item, row) => {
      for (const head of HEAD_NAMES) expect(maxAbsDiff(item[head], expected.logits[head][row])).toBeLessThan(1e-5);
    });
  });

  for (const opset of [17, 14]) {
    it(`runs our writer's MLP (opset ${opset}) like a plain TypeScript forward pass within 1e-5`, async () => {
      const weights = makeMlpWeights(smallDims, 11 + opset);
      const session = await open(await tempSpecBundle(buildMlpPolicyOnnx(weights, { opset }), smallDims.dIn));
      const rows = randomRows(5, smallDims.dIn, opset);
      const out = await session.infer(featuresBatch(rows, smallDims.dIn));
      rows.forEach((row, i) => {
        const ref = mlpForward(weights, row);
        for (const head of HEAD_NAMES) expect(maxAbsDiff(out[i][head], ref[head])).toBeLessThan(1e-5);
      });
    });
  }

  it('serves the committed spec-small fixture (d_in 3779) like the reference forward of its seed', async () => {
    const weights = makeMlpWeights(
      { dIn: SPEC_SMALL.dIn, dHidden: SPEC_SMALL.dHidden, nLayers: SPEC_SMALL.nLayers, headSizes: DEFAULT_HEAD_SIZES },
      SPEC_SMALL.seed,
    );
    const session = await open(await loadBundle(join(BUNDLES, 'onnx-spec-small')));
    const [row] = randomRows(1, 3779, 5);
    const [out] = await session.infer(featuresBatch([row], 3779));
    const ref = mlpForward(weights, row);
    for (const head of HEAD_NAMES) expect(maxAbsDiff(out[head], ref[head])).toBeLessThan(1e-4);
  });

  it('a batch gives the same logits as single runs', async () => {
    const weights = makeMlpWeights(smallDims, 3);
    const session = await open(await tempSpecBundle(buildMlpPolicyOnnx(weights), smallDims.dIn));
    const rows = randomRows(17, smallDims.dIn, 9);
    const batch = await session.infer(featuresBatch(rows, smallDims.dIn));
    for (let i = 0; i < rows.length; i++) {
      const [single] = await session.infer(featuresBatch([rows[i]], smallDims.dIn));
      for (const head of HEAD_NAMES) expect(maxAbsDiff(batch[i][head], single[head])).toBeLessThan(1e-6);
    }
    expect(await session.infer(featuresBatch([], smallDims.dIn))).toEqual([]);
  });
});

/** The MLP with outputs declared in reverse head order, named by head or o0..o3. */
function reversedOutputs(named: boolean): Uint8Array {
  const w = makeMlpWeights({ ...smallDims, nLayers: 1 }, 21);
  const g = new OnnxGraphBuilder();
  let x = g.input('input', OnnxDataType.FLOAT, ['batch', smallDims.dIn]);
  x = gemm(g, x, w.trunk[0].linear, 'lin');
  x = g.node('Relu', [
    g.node(
      'LayerNormalization',
      [x, g.floats('s', [16], w.trunk[0].lnWeight), g.floats('b', [16], w.trunk[0].lnBias)],
      { axis: { i: -1 }, epsilon: { f: 1e-5 } },
    ),
  ]);
  [...HEAD_NAMES].reverse().forEach((head, i) => {
    const out = g.output(named ? head : `o${i}`, OnnxDataType.FLOAT, ['batch', w.heads[head].outFeatures]);
    gemm(g, x, w.heads[head], head, out);
  });
  return encodeOnnxModel(g.toModel(17));
}

describe('onnx plugin: output mapping', () => {
  it('maps outputs by name whatever their order', async () => {
    const session = await open(await tempSpecBundle(reversedOutputs(true), smallDims.dIn));
    expect(session.info.outputMapping).toBe('name');
    const ref = mlpForward(makeMlpWeights({ ...smallDims, nLayers: 1 }, 21), randomRows(1, smallDims.dIn, 1)[0]);
    const [out] = await session.infer(featuresBatch(randomRows(1, smallDims.dIn, 1), smallDims.dIn));
    for (const head of HEAD_NAMES) expect(maxAbsDiff(out[head], ref[head])).toBeLessThan(1e-5);
  });

  it('falls back to position when names say nothing (and then checks widths by position)', async () => {
    const weights = makeMlpWeights(smallDims, 4);
    const positional = buildMlpPolicyOnnx(weights, { outputNames: ['a', 'b', 'c', 'd'] });
    const session = await open(await tempSpecBundle(positional, smallDims.dIn));
    expect(session.info.outputMapping).toBe('position');
    const rows = randomRows(2, smallDims.dIn, 4);
    const out = await session.infer(featuresBatch(rows, smallDims.dIn));
    for (const head of HEAD_NAMES)
      expect(maxAbsDiff(out[1][head], mlpForward(weights, rows[1])[head])).toBeLessThan(1e-5);
    // o0..o3 in reverse order: by position the swarm head gets the 5-wide iterations output → refused.
    expect(await refusal(open(await tempSpecBundle(reversedOutputs(false), smallDims.dIn)))).toBe(
      'BUNDLE_SHAPE_MISMATCH',
    );
  });

  it('refuses outputs that name only some heads', async () => {
    const model = buildMlpPolicyOnnx(makeMlpWeights(smallDims, 4), { outputNames: ['swarm', 'x', 'y', 'z'] });
    expect(await refusal(open(await tempSpecBundle(model, smallDims.dIn)))).toBe('ONNX_OUTPUT_MISMATCH');
  });
});

describe('onnx plugin: refusals', () => {
  const model = buildMlpPolicyOnnx(makeMlpWeights(smallDims, 5));

  it('refuses an input width different from config d_in', async () => {
    expect(await refusal(open(await tempSpecBundle(model, smallDims.dIn + 1)))).toBe('BUNDLE_SHAPE_MISMATCH');
  });

  it('refuses a head width different from the action space', async () => {
    const space = {
      swarm_ids: ['serial_handoff', 'speculate_vote', 'third'],
      max_candidates_bins: [1, 2, 3, 'NA'],
      max_minutes_bins: [15, 30, 45, 60, 120, 'NA'],
      max_iterations_bins: [1, 2, 3, 5, 'NA'],
    };
    expect(await refusal(open(await tempSpecBundle(model, smallDims.dIn, {}, space)))).toBe('BUNDLE_SHAPE_MISMATCH');
  });

  it('refuses truncated, bit-flipped and garbage models with coded errors', async () => {
    const truncated = model.subarray(0, model.length - 300);
    expect(await refusal(open(await tempSpecBundle(truncated, smallDims.dIn)))).toBe('ONNX_PROTO_INVALID');
    const flipped = Uint8Array.from(model);
    flipped[0] ^= 0x04; // field 1 (ir_version, varint) becomes a field-1 fixed32/length type
    expect(await refusal(open(await tempSpecBundle(flipped, smallDims.dIn)))).not.toBe('no error');
    expect(await refusal(open(await tempSpecBundle(new TextEncoder().encode('{"not":"onnx"}'), smallDims.dIn)))).toBe(
      'ONNX_PROTO_INVALID',
    );
  });

  it('refuses random single-bit flips with a coded error or serves them, never crashing', async () => {
    let seed = 12345;
    for (let k = 0; k < 12; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const bytes = Uint8Array.from(model);
      bytes[seed % 2000] ^= 1 << (seed % 8); // the first 2000 bytes hold structure and the first weights
      const code = await refusal(open(await tempSpecBundle(bytes, smallDims.dIn)));
      expect(typeof code).toBe('string');
    }
  });

  function externalModel(location: string): Uint8Array {
    const g = new OnnxGraphBuilder();
    const x = g.input('input', OnnxDataType.FLOAT, ['batch', smallDims.dIn]);
    const w = g.initializer('w', { dataType: OnnxDataType.FLOAT, dims: [2, smallDims.dIn], external: { location } });
    const h = g.node('Gemm', [x, w], { transB: { i: 1 } });
    for (const head of HEAD_NAMES) g.node('Identity', [h], {}, g.output(head, OnnxDataType.FLOAT, ['batch', 2]));
    return encodeOnnxModel(g.toModel(17));
  }

  it('refuses external data that escapes the bundle', async () => {
    expect(await refusal(open(await tempSpecBundle(externalModel('../outside.bin'), smallDims.dIn)))).toBe(
      'BUNDLE_PATH_ESCAPE',
    );
    expect(await refusal(open(await tempSpecBundle(externalModel('/etc/passwd'), smallDims.dIn)))).toBe(
      'BUNDLE_PATH_ESCAPE',
    );
  });

  it('refuses external data even inside the bundle (models are loaded from bytes)', async () => {
    const bundle = await tempSpecBundle(externalModel('weights.bin'), smallDims.dIn, {
      'weights.bin': new Uint8Array(8 * smallDims.dIn),
    });
    expect(await refusal(open(bundle))).toBe('ONNX_EXTERNAL_DATA');
  });

  it('a disposed session rejects with SESSION_DISPOSED', async () => {
    const session = await open(await tempSpecBundle(model, smallDims.dIn));
    await session.dispose();
    expect(await refusal(session.infer(featuresBatch(randomRows(1, smallDims.dIn, 1), smallDims.dIn)))).toBe(
      'SESSION_DISPOSED',
    );
    await session.dispose();
  });

  it('rejects a batch of the wrong width and bad thread options', async () => {
    const session = await open(await tempSpecBundle(model, smallDims.dIn));
    expect(await refusal(session.infer(featuresBatch(randomRows(1, 7, 1), 7)))).toBe('ENCODER_DIM_MISMATCH');
    const bundle = await tempSpecBundle(model, smallDims.dIn);
    expect(await refusal(onnxPlugin.createSession(bundle, { ...ctx, options: { intraOpNumThreads: 0 } }))).toBe(
      'CONFIG_INVALID',
    );
  });

  it('records threads, opset, flavour and model file', async () => {
    const bundle = await tempSpecBundle(model, smallDims.dIn);
    const s = await onnxPlugin.createSession(bundle, { ...ctx, options: { intraOpNumThreads: 2 } });
    sessions.push(s);
    expect(s.info).toMatchObject({
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      opset: 17,
      flavour: 'spec',
      modelFile: 'model.onnx',
    });
  });
});

describe('onnx plugin: bundle schema and lint', () => {
  it('its bundleSchema needs model.onnx or planner.onnx', async () => {
    const { SchemaRegistry } = await import('../../core/schemas.js');
    const schemas = new SchemaRegistry();
    schemas.add(onnxPlugin.bundleSchema as Record<string, unknown>);
    const id = (onnxPlugin.bundleSchema as { $id: string }).$id;
    expect(schemas.validate(id, { files: { 'model.onnx': { size: 1 } }, json: {} }).valid).toBe(true);
    expect(schemas.validate(id, { files: { 'planner.onnx': { size: 1 } }, json: {} }).valid).toBe(true);
    expect(schemas.validate(id, { files: { 'model.pt': { size: 1 } }, json: {} }).valid).toBe(false);
  });

  it('lint reports shape mismatches and escaping external data as problems, without throwing', async () => {
    const model = buildMlpPolicyOnnx(makeMlpWeights(smallDims, 5));
    const lint = onnxPlugin.lint!;
    expect(await lint(await tempSpecBundle(model, smallDims.dIn), ctx)).toEqual([]);
    const wrong = await lint(await tempSpecBundle(model, smallDims.dIn + 3), ctx);
    expect(wrong.map((p) => p.code)).toEqual(['BUNDLE_SHAPE_MISMATCH']);
    const broken = await lint(await tempSpecBundle(model.subarray(0, 500), smallDims.dIn), ctx);
    expect(broken.map((p) => p.code)).toEqual(['ONNX_PROTO_INVALID']);
  });
});
