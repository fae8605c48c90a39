/**
 * Vitest global setup: the run gets its own temp root (TMPDIR, inherited by the test workers and every process they
 * start), so what the run leaves behind is measured apart from other processes on the machine. At the end the root
 * must be empty: anything left is reported as a failure of the run, then removed, so nothing piles up.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Files the onnxruntime native library (libonnxruntime) writes into TMPDIR by itself whenever a session is created:
 * not made by a test, so not a test's to remove. They go with the run's root.
 */
const RUNTIME_ARTEFACTS = [/^\.ses$/, /^mat-debug-\d+\.log$/];

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'cyntra-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(root).filter((name) => !RUNTIME_ARTEFACTS.some((re) => re.test(name)));
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    if (left.length > 0) {
      process.exitCode = 1;
      throw new Error(
        `the test run left ${left.length} entries in its temp dir (tests must remove what they make): ${left.slice(0, 20).join(', ')}`,
      );
    }
  };
}
