import { existsSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { isPlannerError } from '../../core/errors.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { checkOutcome } from '../support/fuzz-checks.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { mutateBundle, type Mutant } from '../support/fuzz-bundles.js';
import { Prng } from '../support/fuzz-prng.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const schemas = new SchemaRegistry();
const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const BUNDLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bundles');
const MUTANTS_PER_BASE = 120;
const lintModule = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'lint', 'index.ts');

/** Valid fixture bundles to mutate: the scripted one plus every model fixture present (torch-*, onnx-*, tfjs-*). */
function baseBundles(): { name: string; dir: string }[] {
  const fixtures = existsSync(BUNDLES) ? readdirSync(BUNDLES).filter((d) => /^(torch|onnx|tfjs)-/.test(d) && d !== 'slow-model') : [];
  return [{ name: 'scripted', dir: makeScriptedBundle({ 'scripted.json': '{}', 'calibration.json': { temperature: 1.5 } }) }, ...fixtures.map((d) => ({ name: d, dir: join(BUNDLES, d) }))];
}

function registry() {
  return createDefaultRegistry().register(scriptedPlugin({ script: () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 }) }));
}

/** Fails the test instead of hanging it. */
async function bounded<T>(what: string, promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${ms} ms`)), ms)));
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

async function predictOutcome(m: Mutant): Promise<string> {
  const config = resolveInferenceConfig({ modelPath: m.dir, modelType: 'auto', timeoutMs: 10_000, loadTimeoutMs: 10_000 });
  const planner = await bounded(`create ${m.how}`, PlannerInference.create(config, { registry: registry(), clock: () => NOW, schemas }));
  try {
    const out = await bounded(`predict ${m.how}`, planner.predict(buildPlannerInput({ issue: { id: 'F-1', dk_risk: 'high', title: 'fuzz' }, now: NOW, actionSpace: planner.actionSpace })));
    checkOutcome(planner, out, schemas, m.how);
    return planner.modelUnavailable ? `fallback:${planner.attempts.map((a) => a.code).join('+')}` : `model:${planner.backend}`;
  } finally {
    await planner.dispose();
  }
}

describe('bundle fuzz (seeded)', () => {
  for (const [k, base] of baseBundles().entries()) {
    it(`${base.name}: ${MUTANTS_PER_BASE} mutated bundles load with a coded error or fall back, never crash`, async () => {
      const rng = new Prng(1000 + k);
      const outcomes = new Map<string, number>();
      for (let i = 0; i < MUTANTS_PER_BASE; i++) {
        const m = mutateBundle(rng, base.dir);
        if (process.env.FUZZ_TRACE) writeSync(2, `${base.name} #${i}: ${m.how}\n`);
        try {
          const loaded = await loadOutcome(m);
          const predicted = await predictOutcome(m);
          for (const key of [loaded, predicted.split(':')[0]]) outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (loaded !== 'loaded') expect(predicted, `${m.how}: a bundle that does not load cannot answer`).toMatch(/^fallback/);
        } finally {
          rmSync(m.dir, { recursive: true, force: true });
        }
      }
      if (process.env.FUZZ_TRACE) writeSync(2, `${base.name}: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
      // the mutations reach both sides: some bundles still load, some are refused with a code
      expect(outcomes.get('loaded') ?? 0).toBeGreaterThan(0);
      expect([...outcomes.keys()].some((key) => /^[A-Z_]+$/.test(key))).toBe(true);
    }, 240_000);
  }

  it.runIf(existsSync(lintModule))('lint reports on every mutated bundle without throwing', async () => {
    const { lintBundles } = (await import(lintModule)) as typeof import('../../core/lint/index.js');
    const rng = new Prng(77);
    let withErrors = 0;
    for (const base of baseBundles()) {
      const mutants = Array.from({ length: 40 }, () => mutateBundle(rng, base.dir));
      try {
        const report = await bounded('lintBundles', lintBundles(mutants.map((m) => m.dir), { registry: registry(), schemas }));
        expect(report.bundles).toHaveLength(mutants.length);
        for (const b of report.bundles) for (const p of b.problems) expect(p.code, `${b.dir}`).toMatch(/^[A-Z0-9_]+$/);
        withErrors += report.bundles.filter((b) => b.errorCount > 0).length;
      } finally {
        for (const m of mutants) rmSync(m.dir, { recursive: true, force: true });
      }
    }
    expect(withErrors).toBeGreaterThan(0);
  }, 240_000);
});
