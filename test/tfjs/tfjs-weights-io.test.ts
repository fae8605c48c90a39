import { readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { randomMlpPolicyWeights } from '../../plugins/tfjs/random-weights.js';
import { tensorsFromWeights } from '../../plugins/tfjs/state-dict-check.js';
import { resolveInside } from '../../core/bundle/bundle-paths.js';
import { readTfjsWeights, type WeightsReader } from '../../plugins/tfjs/tfjs-weights-io.js';
import { SMALL_DIMS, tempDir, writeTfjsBundle } from './tfjs-fixtures.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );
}

/** The core's containment (`bundle.resolve`), without the loader (which itself refuses bundles with a link out). */
function readerFor(dir: string): WeightsReader {
  const real = realpathSync(dir);
  return {
    resolve: (name) => resolveInside(real, name),
    readFile: async (name) => readFileSync(resolveInside(real, name)),
  };
}

function editManifest(dir: string, edit: (m: { weightsManifest: Array<{ paths: string[] }> }) => void): void {
  const file = join(dir, 'model.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  edit(m);
  writeFileSync(file, JSON.stringify(m));
}

describe('tfjs weights IO', () => {
  it('reads back exactly what the writer wrote', async () => {
    const weights = randomMlpPolicyWeights(SMALL_DIMS, 3);
    const bundle = await loadBundle(writeTfjsBundle(weights));
    const read = await readTfjsWeights(bundle);
    const want = tensorsFromWeights(weights);
    expect([...read.keys()]).toEqual([...want.keys()]);
    for (const [k, t] of want) {
      expect(read.get(k)!.shape).toEqual(t.shape);
      expect(Array.from(read.get(k)!.data)).toEqual(Array.from(t.data));
    }
  });

  it('refuses shard paths that leave the bundle (.., absolute, symlink)', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'evil.bin'), new Uint8Array(16));
    for (const path of ['../evil.bin', join(outside, 'evil.bin'), 'link.bin']) {
      const dir = writeTfjsBundle(randomMlpPolicyWeights(SMALL_DIMS, 3));
      symlinkSync(join(outside, 'evil.bin'), join(dir, 'link.bin'));
      editManifest(dir, (m) => (m.weightsManifest[0].paths = [path]));
      expect(await codeOf(readTfjsWeights(readerFor(dir)))).toBe('BUNDLE_PATH_ESCAPE');
    }
  });

  it('refuses shards whose size does not match the manifest', async () => {
    const dir = writeTfjsBundle(randomMlpPolicyWeights(SMALL_DIMS, 3));
    const shard = join(dir, 'group1-shard1of1.bin');
    writeFileSync(shard, readFileSync(shard).subarray(4));
    expect(await codeOf(readTfjsWeights(await loadBundle(dir)))).toBe('TFJS_WEIGHTS_MISMATCH');
  });

  it('refuses a manifest without weightsManifest or with a non-float32 weight', async () => {
    const dir = writeTfjsBundle(randomMlpPolicyWeights(SMALL_DIMS, 3));
    editManifest(dir, (m) => ((m as unknown as { weightsManifest: unknown }).weightsManifest = {}));
    expect(await codeOf(readTfjsWeights(await loadBundle(dir)))).toBe('TFJS_WEIGHTS_MISMATCH');
    const dir2 = writeTfjsBundle(randomMlpPolicyWeights(SMALL_DIMS, 3));
    editManifest(
      dir2,
      (m) => ((m.weightsManifest[0] as unknown as { weights: Array<{ dtype: string }> }).weights[0].dtype = 'int32'),
    );
    expect(await codeOf(readTfjsWeights(await loadBundle(dir2)))).toBe('TFJS_WEIGHTS_MISMATCH');
  });
});
