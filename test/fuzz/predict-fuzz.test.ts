import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../../core/inference-config.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { PlannerInference, type PredictOutcome } from '../../core/planner-inference.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { checkOutcome } from '../support/fuzz-checks.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { mutateInput, randomInput } from '../support/fuzz-inputs.js';
import { Prng } from '../support/fuzz-prng.js';
import { makeScriptedBundle, scriptedPlugin } from '../support/scripted-plugin.js';

const schemas = new SchemaRegistry();
const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const CASES = 2000;
const SIZES = { swarm: 2, candidates: 4, minutes: 6, iterations: 5 };

/** Random logits, sometimes NaN, ±Infinity, huge, or of the wrong length; clean for the warm-up input. */
function hostileScript(seed: number) {
  const rng = new Prng(seed);
  return (input: PlannerInputV1): Record<string, number[]> => {
    const clean = input.issue?.issue_id === 'warmup';
    const out: Record<string, number[]> = {};
    for (const [head, n] of Object.entries(SIZES)) {
      const len = !clean && rng.chance(0.03) ? rng.int(n + 3) : n;
      out[head] = Array.from({ length: len }, () =>
        clean ? 0 : rng.chance(0.02) ? rng.pick([NaN, Infinity, -Infinity, 3e38, -3e38]) : (rng.next() - 0.5) * 30,
      );
    }
    return out;
  };
}

async function fuzzPlanner(p: PlannerInference, seed: number): Promise<Record<string, number>> {
  const rng = new Prng(seed);
  const reasons: Record<string, number> = {};
  const count = (o: PredictOutcome) => {
    const key = o.action.reason?.replace(/_[0-9.]+$/, '') ?? 'model';
    reasons[key] = (reasons[key] ?? 0) + 1;
  };
  for (let i = 0; i < CASES; i += 20) {
    const batch = Array.from({ length: 20 }, () => {
      const good = randomInput(rng, NOW);
      return rng.chance(0.4) ? mutateInput(rng, good) : good;
    });
    const outs = rng.chance(0.5) ? await p.predictMany(batch) : await Promise.all(batch.map((b) => p.predict(b)));
    expect(outs).toHaveLength(batch.length);
    outs.forEach((o, k) => {
      checkOutcome(p, o, schemas, `seed ${seed} case ${i + k}`);
      count(o);
    });
  }
  return reasons;
}

async function create(registry: BackendRegistry, config: InferenceConfigInput): Promise<PlannerInference> {
  return PlannerInference.create(resolveInferenceConfig({ timeoutMs: 10_000, ...config }), {
    registry,
    clock: () => NOW,
    schemas,
  });
}

describe('predict fuzz (seeded)', () => {
  it('heuristic: 2000 random and mutated inputs, every action valid', async () => {
    const p = await create(new BackendRegistry().register(heuristicPlugin), {});
    const reasons = await fuzzPlanner(p, 1);
    expect(reasons.model).toBeGreaterThan(0);
  }, 120_000);

  it('scripted backend with hostile logits: every action valid, every fallback with a reason', async () => {
    const registry = new BackendRegistry()
      .register(heuristicPlugin)
      .register(scriptedPlugin({ script: hostileScript(7) as never }));
    const p = await create(registry, {
      modelPath: makeScriptedBundle(),
      modelType: 'scripted',
      confidenceThreshold: 0.2,
    });
    expect(p.backend).toBe('scripted');
    const reasons = await fuzzPlanner(p, 2);
    // the fuzz reaches every branch of the gate: model answers, low confidence, bad logits, bad input
    expect(Object.keys(reasons)).toEqual(
      expect.arrayContaining(['model', 'low_confidence', 'inference_error_InvalidLogitsError']),
    );
  }, 120_000);

  it('the same seed gives the same cases', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(JSON.stringify(mutateInput(a, randomInput(a, NOW)))).toBe(
      JSON.stringify(mutateInput(b, randomInput(b, NOW))),
    );
    expect(JSON.stringify(randomInput(new Prng(43), NOW))).not.toBe(JSON.stringify(randomInput(new Prng(42), NOW)));
  });

  const bundles = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bundles');
  const onnxBundles = existsSync(bundles)
    ? readdirSync(bundles).filter((d) => d.startsWith('onnx-') && existsSync(join(bundles, d, 'model.onnx')))
    : [];
  it.runIf(onnxBundles.length > 0)(
    'ONNX fixture bundles: random and mutated inputs, every action valid',
    async () => {
      for (const [k, dir] of onnxBundles.entries()) {
        const p = await create(createDefaultRegistry(), { modelPath: join(bundles, dir), modelType: 'onnx' });
        try {
          expect(p.backend, `${dir}: ${JSON.stringify(p.attempts)}`).toBe('onnx');
          await fuzzPlanner(p, 100 + k);
        } finally {
          await p.dispose();
        }
      }
    },
    300_000,
  );
});
