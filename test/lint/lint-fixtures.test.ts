/**
 * Table-driven: lint every fixtures/bundles/invalid/<CODE>.* and expect CODE as its first error; the loader and the
 * model loader refuse the same bundle with the same code; the valid fixture bundles lint without errors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendPlugin } from '../../core/backend/plugin.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { PlannerError } from '../../core/errors.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { CORE_CODES, invalidCases, parityOnlyBundles, validBundles } from './fixture-cases.js';
import { lintRegistry } from './lint-registry.js';

const cases = invalidCases();

/** A backend that needs a bundle and never gets past it in these tests (the bundle stage refuses first). */
const probe: BackendPlugin = {
  apiVersion: 1,
  name: 'lint-probe',
  priority: 1,
  description: 'test-only: records the bundle stage outcome',
  needsBundle: true,
  init: async () => undefined,
  createSession: async () => {
    throw new Error('lint-probe: the bundle should have been refused before createSession');
  },
};

describe('lint: invalid fixture bundles', () => {
  it('has a fixture for every core check', () => {
    const codes = new Set(cases.map((c) => c.code));
    for (const code of CORE_CODES) {
      expect(codes, code).toContain(code);
    }
    expect(cases.filter((c) => !CORE_CODES.has(c.code)).every((c) => c.backendCase)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: lint reports the code as its first error', async (_name, c) => {
    const result = await lintBundle(c.dir, { registry: lintRegistry(), ...c.options });
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].code).toBe(c.code);
    for (const p of errors.filter((e) => e.file.endsWith('.json') && existsSync(join(c.dir, e.file)))) {
      expect(p.line, `${p.code} in ${p.file} has a position`).toBeGreaterThan(0);
      expect(p.column).toBeGreaterThan(0);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: lint reports no error unrelated to the defect',
    async (_name, c) => {
      // every error lint reports is either the named code or the generic schema error for the same defect
      const result = await lintBundle(c.dir, { registry: lintRegistry(), ...c.options });
      const other = result.problems.filter(
        (p) => p.severity === 'error' && p.code !== c.code && p.code !== 'BUNDLE_SCHEMA',
      );
      expect(other).toEqual([]);
    },
  );
});

describe('loader: refuses the same bundles with the same codes', () => {
  const core = cases.filter((c) => !c.backendCase);
  const backend = cases.filter((c) => c.backendCase);

  it.each(core.map((c) => [c.name, c] as const))('%s: loadBundle throws the code', async (_name, c) => {
    const error = await loadBundle(c.dir, c.options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).code).toBe(c.code);
  });

  it.each(backend.map((c) => [c.name, c] as const))(
    '%s: the bundle loads, and the backend refuses it in createSession with the code',
    async (_name, c) => {
      await expect(loadBundle(c.dir, c.options)).resolves.toBeTruthy();
      const backendName = (await lintBundle(c.dir, { registry: lintRegistry() })).backend;
      expect(backendName).not.toBeNull();
      const config = resolveInferenceConfig({ modelPath: c.dir, modelType: backendName!, fallback: [] });
      const planner = await PlannerInference.create(config, { registry: lintRegistry() });
      try {
        expect(planner.modelUnavailable).toBe(true);
        expect(planner.attempts[0]).toMatchObject({ backend: backendName, stage: 'session', code: c.code });
      } finally {
        await planner.dispose();
      }
    },
  );

  const viaConfig = core.filter((c) => c.options.swarmUniverse === undefined && c.options.expectSha256 === undefined);
  it.each(viaConfig.map((c) => [c.name, c] as const))(
    '%s: PlannerInference.create records it as the bundle-stage attempt',
    async (_name, c) => {
      const registry = lintRegistry().register(probe);
      const config = resolveInferenceConfig({
        modelPath: c.dir,
        modelType: 'lint-probe',
        fallback: [],
        maxFileBytes: c.options.maxFileBytes,
      });
      const planner = await PlannerInference.create(config, { registry });
      try {
        expect(planner.modelUnavailable).toBe(true);
        expect(planner.attempts[0]).toMatchObject({ backend: 'lint-probe', stage: 'bundle', code: c.code });
      } finally {
        await planner.dispose();
      }
    },
  );
});

describe('model loader: kernel-side allow-list', () => {
  it('PlannerInference.create refuses a bundle whose digest is not in config.trustedDigests', async () => {
    const dir = cases.find((c) => c.code === 'BUNDLE_UNTRUSTED')!.dir;
    const registry = lintRegistry().register(probe);
    const config = resolveInferenceConfig({
      modelPath: dir,
      modelType: 'lint-probe',
      fallback: [],
      trustedDigests: ['0'.repeat(64)],
    });
    const planner = await PlannerInference.create(config, { registry });
    expect(planner.attempts[0]).toMatchObject({ backend: 'lint-probe', stage: 'bundle', code: 'BUNDLE_UNTRUSTED' });
    await planner.dispose();
    const digest = (await lintBundle(dir, { trustedDigests: [] })).digest!;
    const trusted = await PlannerInference.create({ ...config, trustedDigests: [digest] }, { registry });
    expect(trusted.attempts[0]).toMatchObject({ backend: 'lint-probe', stage: 'session' }); // past the bundle stage
    await trusted.dispose();
  });
});

describe('lint: valid fixture bundles', () => {
  it.each(validBundles())('%s has no errors, and PlannerInference loads it with no failed attempt', async (dir) => {
    const result = await lintBundle(dir, { registry: lintRegistry(), warmUpTimeoutMs: 120_000 }); // lint warms up slow-model too
    expect(result.warmUp?.status).toBe('ran');
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.backend).not.toBeNull();
    const planner = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: dir, modelType: 'auto', timeoutMs: 60_000 }),
      { registry: lintRegistry() },
    );
    expect(planner.attempts.filter((a) => a.stage !== 'bundle')).toEqual([]);
    expect(planner.backend).toBe(result.backend);
    await planner.dispose();
  });

  it.each(parityOnlyBundles())(
    '%s (parity-only) lints with ENCODER_DIM_MISMATCH, the code the loader refuses it with',
    async (dir) => {
      const result = await lintBundle(dir, { registry: lintRegistry() });
      expect(result.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual([
        'ENCODER_DIM_MISMATCH',
      ]);
      const planner = await PlannerInference.create(
        resolveInferenceConfig({ modelPath: dir, modelType: result.backend!, timeoutMs: 60_000 }),
        { registry: lintRegistry() },
      );
      expect(planner.attempts[0]).toMatchObject({ backend: result.backend, code: 'ENCODER_DIM_MISMATCH' });
      expect(planner.backend).toBe('heuristic');
      await planner.dispose();
    },
  );
});

describe('checksum fixtures: each variant reaches its own comparison', () => {
  it.each([
    ['BUNDLE_CHECKSUM_MISMATCH.sha256', /\/sha256$/],
    ['BUNDLE_CHECKSUM_MISMATCH.size', /\/size$/],
  ] as const)('%s', async (name, pointer) => {
    const c = cases.find((x) => x.name === name)!;
    const errors = (await lintBundle(c.dir, { registry: lintRegistry() })).problems.filter(
      (p) => p.severity === 'error',
    );
    expect(errors.map((p) => p.code)).toEqual(['BUNDLE_CHECKSUM_MISMATCH']);
    expect(errors[0].pointer).toMatch(pointer);
  });
});
