/**
 * Every file of a bundle, at any depth, is listed, hashed into the digest and is the only thing `Bundle.readFile`
 * opens: a weight shard deep inside the bundle cannot be changed behind a pinned digest (docs/bundle-digest.md).
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { PlannerError } from '../../core/errors.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { coreFiles, expectedDigest, writeBundle } from './bundle-dir.js';
import { INVALID_DIR } from './fixture-cases.js';
import { lintRegistry } from './lint-registry.js';
import { makeTempDir } from '../support/temp-dir.js';

const DEEP_SHARD = 'weights/deep/group1-shard1of1.bin';

/** A tfjs bundle whose only weight shard is two directories down (the deep-shard fixture's layout). */
function deepTfjsBundle(): string {
  const dir = join(makeTempDir('cyntra-deep-'), 'bundle');
  cpSync(join(INVALID_DIR, 'BUNDLE_UNTRUSTED.deep-shard'), dir, { recursive: true });
  return dir;
}

/** Flips one bit of a file in place: same size, different bytes. */
function flipBit(path: string): void {
  const bytes = readFileSync(path);
  bytes[7] ^= 0x01;
  writeFileSync(path, bytes);
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (e: unknown) => (e instanceof PlannerError ? e.code : `uncoded: ${String(e)}`),
  );
}

describe('bundle files at every depth', () => {
  it('the digest covers files two directories deep, as the documented algorithm says', async () => {
    const files = { ...coreFiles(), 'weights/deep/w.bin': Buffer.from([1, 2, 3, 4]) };
    const result = await lintBundle(writeBundle(files), { trustedDigests: [] });
    expect(result.digest).toBe(expectedDigest(files));
  });

  it('a deep shard changed after pinning is refused by lint, loadBundle and PlannerInference (BUNDLE_UNTRUSTED)', async () => {
    const dir = deepTfjsBundle();
    const pinned = (await lintBundle(dir, { trustedDigests: [] })).digest!;
    await expect(loadBundle(dir, { trustedDigests: [pinned] })).resolves.toBeTruthy();
    flipBit(join(dir, DEEP_SHARD));
    expect(await codeOf(loadBundle(dir, { trustedDigests: [pinned] }))).toBe('BUNDLE_UNTRUSTED');
    const lint = await lintBundle(dir, { registry: lintRegistry(), expectSha256: pinned });
    expect(lint.problems.find((p) => p.severity === 'error')?.code).toBe('BUNDLE_UNTRUSTED');
    const config = resolveInferenceConfig({
      modelPath: dir,
      modelType: 'tfjs',
      fallback: [],
      trustedDigests: [pinned],
      timeoutMs: 60_000,
    });
    const planner = await PlannerInference.create(config, { registry: lintRegistry() });
    try {
      expect(planner.attempts[0]).toMatchObject({ backend: 'tfjs', stage: 'bundle', code: 'BUNDLE_UNTRUSTED' });
      expect(planner.modelUnavailable).toBe(true);
    } finally {
      await planner.dispose();
    }
  });

  it('an untouched deep-shard bundle under its pin loads on tfjs with no failed attempt', async () => {
    const dir = deepTfjsBundle();
    const pinned = (await lintBundle(dir, { trustedDigests: [] })).digest!;
    const config = resolveInferenceConfig({
      modelPath: dir,
      modelType: 'tfjs',
      fallback: [],
      trustedDigests: [pinned],
      timeoutMs: 60_000,
    });
    const planner = await PlannerInference.create(config, { registry: lintRegistry() });
    try {
      expect(planner.attempts).toEqual([]);
      expect(planner.backend).toBe('tfjs');
    } finally {
      await planner.dispose();
    }
  });
});

describe('Bundle.readFile / resolve open only the checked listing', () => {
  it('refuses a file added after the checks, at any depth (BUNDLE_FILE_MISSING)', async () => {
    const dir = writeBundle(coreFiles());
    const bundle = await loadBundle(dir);
    mkdirSync(join(dir, 'late', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'late', 'deeper', 'w.bin'), 'unhashed');
    writeFileSync(join(dir, 'added.bin'), 'unhashed');
    for (const name of ['late/deeper/w.bin', 'added.bin']) {
      expect(await codeOf(bundle.readFile(name)), name).toBe('BUNDLE_FILE_MISSING');
      expect(() => bundle.resolve(name)).toThrow(expect.objectContaining({ code: 'BUNDLE_FILE_MISSING' }));
      expect(bundle.has(name)).toBe(false);
    }
    expect((await bundle.readFile('./config.json')).length).toBeGreaterThan(0); // listed names, however spelled
    expect(await codeOf(bundle.readFile('../x/config.json'))).toBe('BUNDLE_PATH_ESCAPE'); // containment still first
  });

  it('with a checked digest, refuses a listed file whose bytes changed after the check (BUNDLE_UNTRUSTED)', async () => {
    const dir = deepTfjsBundle();
    const pinned = (await lintBundle(dir, { trustedDigests: [] })).digest!;
    const trusted = await loadBundle(dir, { trustedDigests: [pinned] });
    const unpinned = await loadBundle(dir);
    flipBit(join(dir, DEEP_SHARD));
    expect(await codeOf(trusted.readFile(DEEP_SHARD))).toBe('BUNDLE_UNTRUSTED');
    expect((await unpinned.readFile(DEEP_SHARD)).equals(readFileSync(join(dir, DEEP_SHARD)))).toBe(true); // no pin, no re-check
  });

  it('a symlink to a directory is refused by lint and the loader with the same code (BUNDLE_FILE_MISSING)', async () => {
    const dir = writeBundle({ ...coreFiles(), 'weights/w.bin': Buffer.from([1, 2, 3, 4]) });
    symlinkSync('weights', join(dir, 'linked'));
    const lint = await lintBundle(dir, { registry: lintRegistry() });
    expect(lint.problems.find((p) => p.severity === 'error')).toMatchObject({
      code: 'BUNDLE_FILE_MISSING',
      file: 'linked',
    });
    expect(await codeOf(loadBundle(dir))).toBe('BUNDLE_FILE_MISSING');
  });
});
