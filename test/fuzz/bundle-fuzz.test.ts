import { existsSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { isPlannerError } from '../../core/errors.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { checkOutcome } from '../support/fuzz-checks.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { fuzzBases } from '../support/fuzz-bases.js';
import { mutateBundle, type Mutant } from '../support/fuzz-bundles.js';
import { Prng } from '../support/fuzz-prng.js';
import { prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const schemas = new SchemaRegistry();
const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const MUTANTS_PER_BASE = 120;
/**
 * Share of each base's mutants that must load a model and run it (decoded logits, or logits the gate refused), for
 * bases without metadata checksums; with checksums, byte mutations are meant to be refused up front.
 */
const MIN_REACHED_SHARE = 0.15;
/** Mutants whose model file itself was changed (weights) and still loaded and ran, per model base without checksums. */
const MIN_REACHED_WITH_CHANGED_WEIGHTS = 3;
const lintModule = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'lint', 'index.ts');

// Bases that load and serve (fixtures, converted bundles, copies without metadata.json): see fuzz-bases.ts.
const { bases, cleanup } = await fuzzBases();
afterAll(cleanup);

function registry() {
  return createDefaultRegistry().register(
    scriptedPlugin({ script: () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 }) }),
  );
}

/** Fails the test instead of hanging it. */
async function bounded<T>(what: string, promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${ms} ms`)), ms)),
  );
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

async function loadOutcome(m: Mutant): Promise<string> {
  try {
    await bounded(`loadBundle ${m.how}`, loadBundle(m.dir, { schemas }));
    return 'loaded';
  } catch (error) {
    if (!isPlannerError(error)) expect.fail(`${m.how}: loadBundle threw an uncoded ${String(error)}`);
    return error.code;
  }
}

/**
 * `model` when a model loaded and its backend ran on the input (decoded logits, or logits the gate refused), else
 * `fallback:<codes of the failed load attempts>`.
 */
async function predictOutcome(m: Mutant): Promise<string> {
  const config = resolveInferenceConfig({
    modelPath: m.dir,
    modelType: 'auto',
    timeoutMs: 10_000,
    loadTimeoutMs: 10_000,
  });
  const planner = await bounded(
    `create ${m.how}`,
    PlannerInference.create(config, { registry: registry(), clock: () => NOW, schemas }),
  );
  try {
    const out = await bounded(
      `predict ${m.how}`,
      planner.predict(
        buildPlannerInput({
          issue: { id: 'F-1', dk_risk: 'high', title: 'fuzz' },
          now: NOW,
          actionSpace: planner.actionSpace,
        }),
      ),
    );
    checkOutcome(planner, out, schemas, m.how);
    if (planner.modelUnavailable) return `fallback:${planner.attempts.map((a) => a.code).join('+')}`;
    expect(planner.backend, `${m.how}: a loaded model is not the heuristic`).not.toBe('heuristic');
    const ran = out.trace.modelAction !== null || out.action.reason === 'inference_error_InvalidLogitsError';
    return ran ? `model:${planner.backend}` : `model-failed:${out.action.reason}`;
  } finally {
    await planner.dispose();
  }
}

describe('bundle fuzz (seeded)', () => {
  it('every base, unmutated, loads and runs its model (so mutants start from a servable bundle)', async () => {
    expect(bases.map((b) => b.name)).toEqual(
      expect.arrayContaining(['onnx-spec-small', 'torch-features', 'tfjs-from-torch-features (no metadata.json)']),
    );
    for (const base of bases) {
      const unmutated: Mutant = { dir: base.dir, file: '', how: `${base.name} unmutated` };
      expect(await loadOutcome(unmutated), base.name).toBe('loaded');
      expect(await predictOutcome(unmutated), base.name).toMatch(/^model:/);
    }
  }, 120_000);

  for (const [k, base] of bases.entries()) {
    const reach = base.checksums ? 'its checksums refuse changed files' : 'many load and run the model';
    it(`${base.name}: ${MUTANTS_PER_BASE} mutated bundles load with a coded error or fall back, never crash; ${reach}`, async () => {
      const rng = new Prng(1000 + k);
      const outcomes = new Map<string, number>();
      let reached = 0;
      let reachedWithChangedWeights = 0;
      for (let i = 0; i < MUTANTS_PER_BASE; i++) {
        const m = mutateBundle(rng, base.dir);
        if (process.env.FUZZ_TRACE) writeSync(2, `${base.name} #${i}: ${m.how}\n`);
        try {
          const loaded = await loadOutcome(m);
          const predicted = await predictOutcome(m);
          for (const key of [loaded, predicted.split(':')[0]]) outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (loaded !== 'loaded')
            expect(predicted, `${m.how}: a bundle that does not load cannot answer`).toMatch(/^fallback/);
          if (predicted.startsWith('model:')) {
            reached++;
            if (m.how.split(',').some((h) => !h.split(':')[0].endsWith('.json'))) reachedWithChangedWeights++;
          }
        } finally {
          rmSync(m.dir, { recursive: true, force: true });
        }
      }
      const summary = `${JSON.stringify(Object.fromEntries(outcomes))}, ran the model: ${reached} (${reachedWithChangedWeights} with changed weights)`;
      if (process.env.FUZZ_TRACE) writeSync(2, `${base.name}: ${summary}\n`);
      // the mutations reach both sides: some bundles are refused with a code, and (without checksums) many load AND
      // run the model, corrupted weights included; with checksums, the checksum check is what refuses them
      expect(
        [...outcomes.keys()].some((key) => /^[A-Z_]+$/.test(key)),
        summary,
      ).toBe(true);
      if (base.checksums) {
        expect(outcomes.get('BUNDLE_CHECKSUM_MISMATCH') ?? 0, summary).toBeGreaterThan(0);
      } else {
        expect(reached, summary).toBeGreaterThanOrEqual(MIN_REACHED_SHARE * MUTANTS_PER_BASE);
        if (base.modelFile)
          expect(reachedWithChangedWeights, summary).toBeGreaterThanOrEqual(MIN_REACHED_WITH_CHANGED_WEIGHTS);
      }
    }, 240_000);
  }

  it.runIf(existsSync(lintModule))(
    'lint reports on every mutated bundle without throwing',
    async () => {
      const { lintBundles } = (await import(lintModule)) as typeof import('../../core/lint/index.js');
      const rng = new Prng(77);
      let withErrors = 0;
      for (const base of bases) {
        const mutants = Array.from({ length: 40 }, () => mutateBundle(rng, base.dir));
        try {
          const report = await bounded(
            'lintBundles',
            lintBundles(
              mutants.map((m) => m.dir),
              { registry: registry(), schemas },
            ),
          );
          expect(report.bundles).toHaveLength(mutants.length);
          for (const b of report.bundles)
            for (const p of b.problems) expect(p.code, `${b.dir}`).toMatch(/^[A-Z0-9_]+$/);
          withErrors += report.bundles.filter((b) => b.errorCount > 0).length;
        } finally {
          for (const m of mutants) rmSync(m.dir, { recursive: true, force: true });
        }
      }
      expect(withErrors).toBeGreaterThan(0);
    },
    240_000,
  );
});
