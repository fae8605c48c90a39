/**
 * Property: `lint` reports at least one error IF AND ONLY IF loading the bundle as `predict --strict` does
 * (model.type auto, the default fallback) fails, i.e. the planner ends up on the heuristic. Checked over every bundle
 * under fixtures/bundles/ (valid, parity-only and invalid ones) and a few hundred seeded mutants of the fuzz bases,
 * in-process, with the same registry on both sides. A disagreement is fixed in the shared checks, never here.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { fuzzBases } from '../support/fuzz-bases.js';
import { mutateBundle, structuralMutant } from '../support/fuzz-bundles.js';
import { Prng } from '../support/fuzz-prng.js';
import { prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { BUNDLES_DIR, INVALID_DIR } from './fixture-cases.js';
import { lintRegistry } from './lint-registry.js';

const MUTANTS = 300;
/** Generous bounds on both sides (the slow-model fixture on a busy machine): the property is about refusals, not time. */
const LOAD_BOUND_MS = 120_000;
/** Of which structural (a file removed, or replaced by a directory or a FIFO); the rest are byte/JSON mutations. */
const STRUCTURAL_EVERY = 5;
const schemas = new SchemaRegistry();
const { bases, cleanup } = await fuzzBases();
afterAll(cleanup);

function registry() {
  return lintRegistry().register(
    scriptedPlugin({ script: () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 }) }),
  );
}

interface Verdict {
  readonly lintErrors: string[];
  readonly loadFailed: boolean;
  readonly attempts: string[];
}

async function verdict(dir: string): Promise<Verdict> {
  const lint = await lintBundle(dir, { registry: registry(), schemas, warmUpTimeoutMs: LOAD_BOUND_MS });
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType: 'auto',
    timeoutMs: 10_000,
    loadTimeoutMs: LOAD_BOUND_MS,
  });
  const planner = await PlannerInference.create(config, { registry: registry(), schemas });
  try {
    const lintErrors = lint.problems.filter((p) => p.severity === 'error').map((p) => p.code);
    return {
      lintErrors,
      loadFailed: planner.modelUnavailable,
      attempts: planner.attempts.map((a) => `${a.backend}/${a.stage}/${a.code}`),
    };
  } finally {
    await planner.dispose();
  }
}

function disagreement(what: string, v: Verdict): string | null {
  if (v.lintErrors.length > 0 === v.loadFailed) return null;
  return `${what}: lint errors [${v.lintErrors.join(', ')}] but strict load ${v.loadFailed ? 'failed' : 'succeeded'} (${v.attempts.join('; ') || 'no failed attempt'})`;
}

function fixtureDirs(): string[] {
  const subdirs = (root: string) =>
    readdirSync(root)
      .map((n) => join(root, n))
      .filter((p) => statSync(p).isDirectory() && p !== INVALID_DIR);
  return [...subdirs(BUNDLES_DIR), ...subdirs(INVALID_DIR)].sort();
}

describe('lint agrees with the strict loader (property)', () => {
  it('on every fixture bundle', async () => {
    const dirs = fixtureDirs();
    expect(dirs.length).toBeGreaterThan(20);
    const verdicts = await Promise.all(dirs.map(async (dir) => [dir, await verdict(dir)] as const));
    expect(verdicts.map(([dir, v]) => disagreement(dir, v)).filter(Boolean)).toEqual([]);
    // both sides of the property occur
    expect(verdicts.some(([, v]) => v.loadFailed)).toBe(true);
    expect(verdicts.some(([, v]) => !v.loadFailed)).toBe(true);
  }, 300_000);

  it(`on ${MUTANTS} seeded mutants of the fuzz bases (1 in ${STRUCTURAL_EVERY} structural)`, async () => {
    const rng = new Prng(1212);
    const found: string[] = [];
    let failed = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const base = bases[i % bases.length];
      const m = i % STRUCTURAL_EVERY === 0 ? structuralMutant(rng, base.dir) : mutateBundle(rng, base.dir);
      try {
        const v = await verdict(m.dir);
        if (v.loadFailed) failed++;
        const d = disagreement(`${base.name} #${i} ${m.how}`, v);
        if (d) found.push(d);
      } finally {
        rmSync(m.dir, { recursive: true, force: true });
      }
    }
    expect(found).toEqual([]);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(MUTANTS);
  }, 240_000);
});
