/**
 * The bundles issue 12 found lint passing and the loader refusing: a spec bundle with a complete config.json and no
 * model file (or a model.onnx that is a directory or a FIFO), and a model.onnx whose weights hold NaN/Inf. Each is a
 * lint error with its own code, and the strict load (model.type auto) fails on it too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import type { MlpPolicyWeights } from '../../core/mlp-policy.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { DEFAULT_HEAD_SIZES, makeMlpWeights } from '../../fixtures/tools/onnx-fixture-models.js';
import { buildMlpPolicyOnnx } from '../../plugins/onnx/onnx-writer.js';
import { firstNonFinite } from '../../plugins/onnx/onnx-weights.js';
import type { ProtoField } from '../../plugins/onnx/protobuf-reader.js';
import { ACTION_SPACE, json, withMetadata, writeBundle, type Files } from './bundle-dir.js';
import { lintRegistry } from './lint-registry.js';

const DIMS = { dIn: 3779, dHidden: 8, nLayers: 1, headSizes: DEFAULT_HEAD_SIZES };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A spec bundle whose config.json is complete; `model` is its model.onnx, if any. */
function specBundle(model?: Uint8Array, metadataBackend?: string): string {
  const files: Files = {
    'config.json': json({
      model_type: 'mlp',
      d_in: DIMS.dIn,
      d_hidden: DIMS.dHidden,
      n_layers: DIMS.nLayers,
      encoder: 'features.v1',
      action_space: ACTION_SPACE,
    }),
    'action_space.json': json(ACTION_SPACE),
    'calibration.json': json({ temperatures: { swarm_id: 1 } }),
  };
  if (model) files['model.onnx'] = Buffer.from(model);
  const dir = writeBundle(metadataBackend === undefined ? files : withMetadata(files, { backend: metadataBackend }));
  dirs.push(dir);
  return dir;
}

function weights(patch: (w: MlpPolicyWeights) => void = () => undefined): Uint8Array {
  const w = makeMlpWeights(DIMS, 12);
  patch(w);
  return buildMlpPolicyOnnx(w);
}

async function verdict(dir: string) {
  const lint = await lintBundle(dir, { registry: lintRegistry() });
  const planner = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'auto' }), {
    registry: lintRegistry(),
  });
  const attempts = planner.attempts.map((a) => a.code);
  await planner.dispose();
  return {
    errors: lint.problems.filter((p) => p.severity === 'error'),
    warnings: lint.problems.filter((p) => p.severity === 'warning').map((p) => p.code),
    loadFailed: planner.modelUnavailable,
    attempts,
    warmUp: lint.warmUp,
  };
}

describe('lint refuses what the loader refuses', () => {
  it('the unpatched model lints clean, warms up, and loads (the baseline of the cases below)', async () => {
    const v = await verdict(specBundle(weights()));
    expect(v.errors).toEqual([]);
    expect(v.loadFailed).toBe(false);
    expect(v.warmUp).toEqual({ status: 'ran', backend: 'onnx' });
  });

  it('complete config.json but no model file: BUNDLE_MODEL_MISSING, not two warnings', async () => {
    const v = await verdict(specBundle());
    expect(v.errors.map((p) => p.code)).toEqual(['BUNDLE_MODEL_MISSING']);
    expect(v.warnings).not.toContain('BUNDLE_BACKEND_UNDETERMINED');
    expect(v.loadFailed).toBe(true);
  });

  it.each([
    ['a directory', (path: string) => mkdirSync(join(path, 'weights'), { recursive: true })],
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path])],
  ])('model.onnx that is %s: BUNDLE_MODEL_MISSING naming the file and what it is', async (what, make) => {
    const dir = specBundle();
    make(join(dir, 'model.onnx'));
    const v = await verdict(dir);
    expect(v.errors.map((p) => [p.code, p.file])).toEqual([['BUNDLE_MODEL_MISSING', 'model.onnx']]);
    expect(v.errors[0].message).toContain(`model.onnx is ${what}`);
    expect(v.loadFailed).toBe(true);
  });

  it('metadata.json naming an unregistered backend and no model file: BUNDLE_MODEL_MISSING too, beside BACKEND_UNKNOWN', async () => {
    const v = await verdict(specBundle(undefined, 'nowhere'));
    expect(v.errors.map((p) => p.code)).toEqual(['BUNDLE_MODEL_MISSING']);
    expect(v.warnings).toContain('BACKEND_UNKNOWN');
    expect(v.loadFailed).toBe(true);
  });

  it('metadata.json naming an unregistered backend beside a model.onnx: lint checks and warms up onnx, as auto loads it', async () => {
    const v = await verdict(specBundle(weights(), 'nowhere'));
    expect(v.errors).toEqual([]);
    expect(v.warmUp).toEqual({ status: 'ran', backend: 'onnx' });
    expect(v.loadFailed).toBe(false);
  });

  it.each([
    ['NaN in a head bias', (w: MlpPolicyWeights) => void ((w.heads.swarm.bias as Float32Array)[1] = NaN)],
    [
      '+Inf in a trunk weight',
      (w: MlpPolicyWeights) => void ((w.trunk[0].linear.weight as Float32Array)[5] = Infinity),
    ],
    ['-Inf in a LayerNorm scale', (w: MlpPolicyWeights) => void ((w.trunk[0].lnWeight as Float32Array)[0] = -Infinity)],
  ])(
    'weights with %s: ONNX_WEIGHTS_NONFINITE from lint, and the loader refuses it with the same code',
    async (_what, patch) => {
      const v = await verdict(specBundle(weights(patch)));
      expect(v.errors.map((p) => p.code)).toEqual(['ONNX_WEIGHTS_NONFINITE']);
      expect(v.loadFailed).toBe(true);
      expect(v.attempts[0]).toBe('ONNX_WEIGHTS_NONFINITE');
    },
  );

  it('finite weights whose logits overflow to Inf: only the warm-up can tell, and lint runs it (LOGITS_INVALID)', async () => {
    const v = await verdict(specBundle(weights((w) => (w.heads.minutes.weight as Float32Array).fill(3e38))));
    expect(v.errors.map((p) => p.code)).toEqual(['LOGITS_INVALID']);
    expect(v.errors[0].message).toContain('warm-up');
    expect(v.loadFailed).toBe(true);
    expect(v.attempts[0]).toBe('LOGITS_INVALID');
  });

  it('--no-warm-up (warmUp: false) cannot see that, and reports no warm-up', async () => {
    const dir = specBundle(weights((w) => (w.heads.minutes.weight as Float32Array).fill(3e38)));
    const r = await lintBundle(dir, { registry: lintRegistry(), warmUp: false });
    expect(r.errorCount).toBe(0);
    expect(r.warmUp).toBeNull();
  });
});

describe('firstNonFinite (ONNX tensor scan)', () => {
  const raw = (bytes: number[]): ProtoField[] => [{ field: 9, wire: 2, bytes: Uint8Array.from(bytes) }];
  const f32 = (...xs: number[]) => Array.from(new Uint8Array(Float32Array.from(xs).buffer));
  const f64 = (...xs: number[]) => Array.from(new Uint8Array(Float64Array.from(xs).buffer));

  it('finds NaN/Inf in float32, float64, float16 and bfloat16 raw data, by element index', () => {
    expect(firstNonFinite(raw(f32(1, 2, NaN)), 1)).toBe(2);
    expect(firstNonFinite(raw(f32(1, -Infinity)), 1)).toBe(1);
    expect(firstNonFinite(raw(f32(1, 3.4e38)), 1)).toBeNull();
    expect(firstNonFinite(raw(f64(0, Infinity)), 11)).toBe(1);
    expect(firstNonFinite(raw([0x00, 0x3c, 0x00, 0x7c]), 10)).toBe(1); // float16 1.0, +Inf
    expect(firstNonFinite(raw([0xff, 0x7b]), 10)).toBeNull(); // float16 65504, the largest finite
    expect(firstNonFinite(raw([0x80, 0x3f, 0xc0, 0x7f]), 16)).toBe(1); // bfloat16 1.0, NaN
    expect(firstNonFinite(raw([0x00, 0x00, 0xc0, 0x7f]), 7)).toBeNull(); // int64: never non-finite
  });

  it('reads float_data packed and unpacked, counting elements across fields', () => {
    const packed: ProtoField[] = [
      { field: 4, wire: 2, bytes: Uint8Array.from(f32(1, 2)) },
      { field: 4, wire: 2, bytes: Uint8Array.from(f32(3, NaN)) },
    ];
    expect(firstNonFinite(packed, 1)).toBe(3);
    const unpacked: ProtoField[] = [
      { field: 4, wire: 5, bytes: Uint8Array.from(f32(1)) },
      { field: 4, wire: 5, bytes: Uint8Array.from(f32(Infinity)) },
    ];
    expect(firstNonFinite(unpacked, 1)).toBe(1);
    expect(firstNonFinite([{ field: 10, wire: 1, bytes: Uint8Array.from(f64(NaN)) }], 11)).toBe(0);
  });
});
