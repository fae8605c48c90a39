/** Pinned digests are matched however they are spelled: bare hex (lint, library) or `sha256:HEX` (kernel config). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { PlannerError } from '../../core/errors.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { coreFiles, expectedDigest, writeBundle } from './bundle-dir.js';
import { ROOT } from './fixture-cases.js';

const files = coreFiles();
const dir = writeBundle(files);
const hex = expectedDigest(files);

describe('trusted digests', () => {
  it('the kernel config form `sha256:HEX` is what its schema allows', () => {
    const schema = readFileSync(join(ROOT, 'schemas', 'kernel-config.schema.json'), 'utf8');
    const pattern = /"trusted_digests":\s*\{[^}]*"pattern":\s*"([^"]+)"/.exec(schema)?.[1];
    expect(pattern).toBeDefined();
    expect(new RegExp(JSON.parse(`"${pattern}"`) as string).test(`sha256:${hex}`)).toBe(true);
  });

  it.each([hex, hex.toUpperCase(), `sha256:${hex}`, `SHA256:${hex.toUpperCase()}`])('accepts %s', async (pin) => {
    await expect(loadBundle(dir, { trustedDigests: [pin] })).resolves.toBeTruthy();
    await expect(loadBundle(dir, { expectSha256: pin })).resolves.toBeTruthy();
    expect((await lintBundle(dir, { expectSha256: pin })).errorCount).toBe(0);
  });

  it('still refuses another digest in either spelling (BUNDLE_UNTRUSTED)', async () => {
    for (const pin of ['0'.repeat(64), `sha256:${'0'.repeat(64)}`]) {
      const error = await loadBundle(dir, { trustedDigests: [pin] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlannerError);
      expect((error as PlannerError).code).toBe('BUNDLE_UNTRUSTED');
    }
  });
});
