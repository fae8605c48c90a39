import { describe, expect, it } from 'vitest';
import type { BackendPlugin, LintProblem } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import type { PlannerError } from '../../core/errors.js';
import { lintBundle, lintBundles } from '../../core/lint/lint-bundles.js';
import { ACTION_SPACE, coreFiles, expectedDigest, json, withMetadata, writeBundle } from './bundle-dir.js';
import { BUNDLES_DIR } from './fixture-cases.js';

const codes = (problems: readonly LintProblem[], severity: LintProblem['severity']) =>
  problems.filter((p) => p.severity === severity).map((p) => p.code);

function fakePlugin(overrides: Partial<BackendPlugin> = {}): BackendPlugin {
  return {
    apiVersion: 1,
    name: 'fake',
    aliases: ['fakey'],
    priority: 5,
    description: 'test-only',
    needsBundle: true,
    init: async () => undefined,
    createSession: async () => {
      throw new Error('not used');
    },
    ...overrides,
  };
}

describe('lint: core checks on a complete bundle', () => {
  it('a bundle with metadata, checksums and calibration has no errors, and the loader accepts it', async () => {
    const dir = writeBundle(withMetadata(coreFiles()));
    const result = await lintBundle(dir);
    expect(codes(result.problems, 'error')).toEqual([]);
    expect(codes(result.problems, 'warning')).toEqual(['BUNDLE_BACKEND_UNDETERMINED']);
    const bundle = await loadBundle(dir);
    expect(bundle.actionSpace.headSize('minutes')).toBe(6);
    expect(bundle.calibration?.swarm).toBe(1.2);
  });

  it('only warns about what is incomplete: no metadata.json, no calibration.json', async () => {
    const files = coreFiles();
    delete files['calibration.json'];
    const dir = writeBundle(files);
    const result = await lintBundle(dir);
    expect(codes(result.problems, 'error')).toEqual([]);
    expect(codes(result.problems, 'warning')).toEqual([
      'BUNDLE_METADATA_MISSING',
      'CALIBRATION_MISSING',
      'BUNDLE_BACKEND_UNDETERMINED',
    ]);
    await expect(loadBundle(dir)).resolves.toMatchObject({ calibration: null });
  });

  it('warns when metadata.json lists no checksums', async () => {
    const dir = writeBundle({
      ...coreFiles(),
      'metadata.json': json({ schema_version: 'cyntra.model_bundle.v1', name: 'x' }),
    });
    expect(codes((await lintBundle(dir)).problems, 'warning')).toContain('BUNDLE_CHECKSUMS_MISSING');
  });

  it('reports every problem (the loader stops at the first), each with line:col in its JSON file', async () => {
    const dir = writeBundle({
      ...coreFiles(),
      'config.json': json({ d_in: 0, encoder: 'features.v1' }),
      'action_space.json': json({ ...ACTION_SPACE, max_minutes_bins: [15, 15, 'NA'] }),
      'vocab.json': json({ tokens: ['[PAD]', 'a'] }),
    });
    const result = await lintBundle(dir);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ['ACTION_SPACE_INVALID', 'action_space.json', '/max_minutes_bins/1'],
      ['BUNDLE_SCHEMA', 'config.json', '/d_in'],
      // a repeated bin is reported once, by the linear check (the schema no longer runs ajv's quadratic uniqueItems)
      ['VOCAB_INVALID', 'vocab.json', '/tokens'],
    ]);
    expect(errors[0]).toMatchObject({ line: 14, column: 5 }); // the second 15 of max_minutes_bins
    expect(errors[1]).toMatchObject({ line: 2, column: 11 });
    const thrown = await loadBundle(dir).catch((e: PlannerError) => e);
    expect(thrown).toMatchObject({
      code: 'ACTION_SPACE_INVALID',
      context: { file: 'action_space.json', line: 14, column: 5 },
    });
  });

  it('lints several bundles in one call and sums the counts', async () => {
    const good = writeBundle(withMetadata(coreFiles()));
    const bad = writeBundle({ ...coreFiles(), 'config.json': '{' });
    const report = await lintBundles([good, bad, `${bad}-does-not-exist`]);
    expect(report.bundles.map((b) => b.errorCount)).toEqual([0, 1, 1]);
    expect(report.bundles[2].problems[0].code).toBe('BUNDLE_NOT_FOUND');
    expect(report.errorCount).toBe(2);
  });
});

describe('trust by digest', () => {
  const files = withMetadata(coreFiles());

  it('the digest is sha256 over sorted "name\\0sha256\\n" lines of every file', async () => {
    const dir = writeBundle(files);
    const result = await lintBundle(dir, { expectSha256: expectedDigest(files) });
    expect(result.digest).toBe(expectedDigest(files));
    expect(codes(result.problems, 'error')).toEqual([]);
  });

  it('a bundle whose own checksums match is still untrusted when the pinned digest differs', async () => {
    const dir = writeBundle(files);
    const result = await lintBundle(dir, { expectSha256: 'ab'.repeat(32) });
    expect(codes(result.problems, 'error')).toEqual(['BUNDLE_UNTRUSTED']);
  });

  it('the loader honours a kernel-side allow-list', async () => {
    const dir = writeBundle(files);
    await expect(loadBundle(dir, { trustedDigests: [expectedDigest(files).toUpperCase()] })).resolves.toBeTruthy();
    await expect(loadBundle(dir, { trustedDigests: [] })).rejects.toMatchObject({ code: 'BUNDLE_UNTRUSTED' });
    const changed = writeBundle({ ...files, 'extra.txt': 'added later' });
    await expect(loadBundle(changed, { trustedDigests: [expectedDigest(files)] })).rejects.toMatchObject({
      code: 'BUNDLE_UNTRUSTED',
    });
  });
});

describe('backend plugin checks', () => {
  const schema = {
    $id: 'https://cyntra-planner/test/fake-bundle.json',
    type: 'object',
    required: ['files', 'json'],
    properties: {
      files: { type: 'object', required: ['model.fake'] },
      json: {
        type: 'object',
        properties: { 'config.json': { type: 'object', properties: { d_in: { type: 'integer', maximum: 4 } } } },
      },
    },
  };

  it("applies the declared backend's bundleSchema with pointers back into the JSON file", async () => {
    const registry = new BackendRegistry().register(fakePlugin({ bundleSchema: schema }));
    const dir = writeBundle({
      ...coreFiles(),
      'metadata.json': json({ schema_version: 'cyntra.model_bundle.v1', backend: 'fakey' }),
    });
    const result = await lintBundle(dir, { registry });
    expect(result.backend).toBe('fake');
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ['BUNDLE_SCHEMA', '', '/files'],
      ['BUNDLE_SCHEMA', 'config.json', '/d_in'],
    ]);
    expect(errors[1]).toMatchObject({ line: 2, column: 11 });
  });

  it('runs plugin.lint and keeps its codes; a crashing lint becomes a problem, not a crash', async () => {
    const found: LintProblem = {
      severity: 'error',
      code: 'FAKE_SHAPE',
      file: 'config.json',
      pointer: '/d_in',
      message: 'd_in does not match',
    };
    let seen: string | null = null;
    const registry = new BackendRegistry().register(
      fakePlugin({
        lint: async (bundle) => {
          seen = bundle.actionSpace.swarmIds.join(',');
          return [found];
        },
      }),
    );
    const dir = writeBundle({
      ...coreFiles(),
      'model.fake': 'x',
      'config.json': json({ d_in: 3779, model_type: 'fake' }),
    });
    const result = await lintBundle(dir, { registry });
    expect(seen).toBe('serial_handoff,speculate_vote');
    expect(result.problems.find((p) => p.code === 'FAKE_SHAPE')).toMatchObject({ line: 2, column: 11 });

    const crashing = new BackendRegistry().register(
      fakePlugin({ lint: async () => Promise.reject(new Error('boom')) }),
    );
    const crashed = await lintBundle(dir, { registry: crashing });
    expect(codes(crashed.problems, 'error')).toEqual(['PLUGIN_LINT_FAILED']);
  });

  it('tells the backend from the model file when nothing declares it, and warns about an unregistered one', async () => {
    const registry = new BackendRegistry().register(fakePlugin({ name: 'onnx', aliases: [] }));
    expect((await lintBundle(writeBundle({ ...coreFiles(), 'planner.onnx': 'x' }), { registry })).backend).toBe('onnx');
    const declared = await lintBundle(
      writeBundle({
        ...coreFiles(),
        'metadata.json': json({ schema_version: 'cyntra.model_bundle.v1', backend: 'mystery' }),
      }),
      { registry },
    );
    expect(codes(declared.problems, 'warning')).toContain('BACKEND_UNKNOWN');
  });
});

describe('bundles written by the converter', () => {
  it.each(['tfjs', 'onnx'] as const)(
    'convert --to %s gives a bundle that lints clean, checksums and backend included',
    async (to) => {
      const { convertBundle } = await import('../../plugins/tfjs/convert.js');
      const { lintRegistry } = await import('./lint-registry.js');
      const { join } = await import('node:path');
      const out = join(writeBundle({}), 'out');
      await convertBundle({ from: join(BUNDLES_DIR, 'torch-features', 'model.pt'), out, to, now: new Date(0) });
      const result = await lintBundle(out, { registry: lintRegistry() });
      expect(result.backend).toBe(to);
      expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(codes(result.problems, 'warning')).not.toContain('BUNDLE_CHECKSUMS_MISSING');
    },
  );
});

describe('tfjs weight manifest vs shards', () => {
  it('a truncated shard is refused by lint and by the tfjs session with the same code', async () => {
    const { convertBundle } = await import('../../plugins/tfjs/convert.js');
    const { lintRegistry } = await import('./lint-registry.js');
    const { PlannerInference } = await import('../../core/planner-inference.js');
    const { resolveInferenceConfig } = await import('../../core/inference-config.js');
    const { join } = await import('node:path');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const out = join(writeBundle({}), 'out');
    await convertBundle({ from: join(BUNDLES_DIR, 'torch-small', 'model.pt'), out, to: 'tfjs', now: new Date(0) });
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    delete meta.files; // integrity checksums would catch it first; this is about the manifest check itself
    writeFileSync(join(out, 'metadata.json'), json(meta));
    const shard = join(out, 'group1-shard1of1.bin');
    writeFileSync(shard, readFileSync(shard).subarray(0, 100));
    const result = await lintBundle(out, { registry: lintRegistry() });
    const first = result.problems.find((p) => p.severity === 'error');
    expect(first?.file).toMatch(/model\.json|shard/);
    const planner = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: out, modelType: 'tfjs', fallback: [] }),
      { registry: lintRegistry() },
    );
    expect(planner.attempts[0]).toMatchObject({ backend: 'tfjs', stage: 'session', code: first?.code });
    await planner.dispose();
  });
});
