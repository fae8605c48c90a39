/**
 * Temp dirs for tests. `makeTempDir` makes one under the system temp dir (the run's own root: see
 * test/support/global-temp-root.ts) and records it; test/support/cleanup-setup.ts removes every recorded dir after
 * the test that made it (even when it fails), and dirs made outside a test (module level, beforeAll) after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const perTest = new Set<string>();
const perFile = new Set<string>();
let inTest = false;

/** A fresh directory `<tmp>/<prefix>XXXXXX`, removed after the current test (or file, outside a test). */
export function makeTempDir(prefix = 'cyntra-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  (inTest ? perTest : perFile).add(dir);
  return dir;
}

/** Removes directories now (recursive, missing ones ignored). */
export function removeTempDirs(dirs: Iterable<string>): void {
  for (const dir of [...dirs]) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Called by cleanup-setup.ts around each test. */
export function beginTest(): void {
  inTest = true;
}

export function endTest(): void {
  inTest = false;
  removeTempDirs(perTest);
  perTest.clear();
}

export function endFile(): void {
  endTest();
  removeTempDirs(perFile);
  perFile.clear();
}
