import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import type { BackendSession } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import type { TokensBatch } from '../../core/encoders/encoder.js';
import { createEncoderForBundle } from '../../core/encoders/select-encoder.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { DEFAULT_HEAD_SIZES, makeTokenModelWeights } from '../../fixtures/tools/onnx-fixture-models.js';
import { PYTHON_SMALL, fixtureVocabTokens } from '../../fixtures/tools/make-onnx-fixtures.js';
import { BUNDLES, REPO, ctx, maxAbsDiff, tokenForward } from './onnx-test-helpers.js';
import { makeTempDir } from '../support/temp-dir.js';

const inputs = ['worked-a.json', 'worked-b.json', 'realistic.json'].map(
  (f) => JSON.parse(readFileSync(join(REPO, 'fixtures', 'encoders', 'inputs', f), 'utf8')) as PlannerInputV1,
);
const sessions: BackendSession[] = [];
const planners: PlannerInference[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
  for (const p of planners) await p.dispose();
});

async function planner(modelPath: string, over: Record<string, unknown> = {}): Promise<PlannerInference> {
  const registry = new BackendRegistry().register(heuristicPlugin).register(onnxPlugin);
  const p = await PlannerInference.create(
    resolveInferenceConfig({ modelPath, modelType: 'onnx', confidenceThreshold: 0, ...over }),
    { registry },
  );
  planners.push(p);
  return p;
}

describe('Python-planner bundle (planner.onnx + vocab.json)', () => {
  it('takes tokens of the graph seq_len and returns logits equal to the PlannerMLP forward', async () => {
    const bundle = await loadBundle(join(BUNDLES, 'onnx-python-small'));
    expect(bundle.flavor).toBe('python');
    await onnxPlugin.init({ logger: ctx.logger });
    const session = await onnxPlugin.createSession(bundle, ctx);
    sessions.push(session);
    expect(session.input).toEqual({ kind: 'tokens', seqLen: PYTHON_SMALL.seqLen });
    expect(session.info).toMatchObject({
      flavour: 'python',
      modelFile: 'planner.onnx',
      outputMapping: 'position',
      opset: 17,
    });
    const encoded = createEncoderForBundle(bundle, session.input).encodeBatch(inputs) as TokensBatch;
    expect(encoded.kind).toBe('tokens');
    const out = await session.infer({ inputs, encoded });
    const w = makeTokenModelWeights(
      fixtureVocabTokens().length,
      PYTHON_SMALL.dModel,
      PYTHON_SMALL.hidden,
      { ...DEFAULT_HEAD_SIZES },
      PYTHON_SMALL.seed,
    );
    const L = encoded.seqLen;
    out.forEach((item, row) => {
      const ref = tokenForward(
        w,
        encoded.inputIds.subarray(row * L, (row + 1) * L),
        encoded.attentionMask.subarray(row * L, (row + 1) * L),
      );
      for (const head of HEAD_NAMES) expect(maxAbsDiff(item[head], ref[head])).toBeLessThan(1e-5);
    });
    // Different inputs give different logits (the tokens reach the model).
    expect(maxAbsDiff(out[0].swarm, out[1].swarm)).toBeGreaterThan(0);
  });

  it('predicts end to end through PlannerInference with min confidence', async () => {
    const p = await planner(join(BUNDLES, 'onnx-python-small'));
    expect(p.backend).toBe('onnx');
    const outs = await p.predictMany(inputs);
    for (const out of outs) {
      expect(out.action.abstain_to_default).toBe(false);
      expect(out.trace.backend).toBe('onnx');
      const probs = out.trace.probs!;
      const a = out.trace.modelAction!;
      const idx = p.actionSpace.indexOf(a);
      const chosen = HEAD_NAMES.map((h) => probs[h][idx[h]]);
      // The Python planner's confidence: min of the chosen-head probabilities (not the spec's geometric mean).
      expect(out.trace.confidence).toBeCloseTo(Math.min(...chosen), 12);
      expect(Math.min(...chosen)).toBeLessThan(
        Math.pow(
          chosen.reduce((x, y) => x * y, 1),
          1 / 4,
        ),
      );
    }
  });
});

describe('spec bundle end to end', () => {
  it('predicts with the spec-small fixture', async () => {
    const p = await planner(join(BUNDLES, 'onnx-spec-small'));
    expect(p.backend).toBe('onnx');
    const [out] = await p.predictMany([inputs[0]]);
    expect(out.trace.backend).toBe('onnx');
    expect(out.action.reason).toBeNull();
  });

  it('falls back with model_unavailable when the model file is corrupt', async () => {
    const dir = join(makeTempDir('onnx-e2e-'), 'bundle');
    cpSync(join(BUNDLES, 'onnx-spec-small'), dir, { recursive: true });
    const model = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), model.subarray(0, model.length >> 1));
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ schema_version: 'cyntra.model_bundle.v1' }));
    const p = await planner(dir);
    expect(p.backend).toBe('heuristic');
    expect(p.attempts[0]).toMatchObject({ backend: 'onnx', code: 'ONNX_PROTO_INVALID' });
    expect((await p.predict(inputs[0])).action.reason).toBe('model_unavailable');
  });

  it('the slow model loads and its runs exceed a tight timeout (inference_timeout)', async () => {
    const p = await planner(join(BUNDLES, 'slow-model'), { timeoutMs: 5, loadTimeoutMs: 60_000 });
    expect(p.backend).toBe('onnx');
    const out = await p.predict(inputs[0]);
    expect(out.action.reason).toBe('inference_timeout');
  });
});
