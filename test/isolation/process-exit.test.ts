/**
 * `isolation: process` must not let a library caller's process exit while a predict is pending: after a timeout
 * killed the child, the next call waits for the replacement, and the pool keeps the process alive meanwhile (the
 * bug: every handle was unref'd, so Node exited with code 13 and the second promise never settled).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultWorkerEntry } from '../../core/isolation/load-isolated-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(here, '..', 'support', 'isolation-exit-script.mjs');
const built = existsSync(defaultWorkerEntry()) && existsSync(join(here, '..', '..', 'dist', 'core', 'index.js'));

/** Runs the script; the spawn timeout only turns a hang into a failure, nothing here measures speed. */
function runScript(mode: string, timeoutMs: number): string[] {
  const run = spawnSync(process.execPath, [SCRIPT, mode, String(timeoutMs)], { encoding: 'utf8', timeout: 170_000 });
  expect(
    { status: run.status, signal: run.signal },
    `stdout: ${run.stdout}\nstderr: ${run.stderr.slice(-2000)}`,
  ).toEqual({ status: 0, signal: null });
  return run.stdout.trim().split('\n');
}

describe.runIf(built)('isolation: process, a caller with nothing else keeping it alive', () => {
  it('slow-model fixture: both predicts answer after the first one times out, then the process exits 0 by itself', () => {
    const lines = runScript('slow-model', 200);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('backend onnx');
    expect(lines[1]).toMatch(/^first \S+$/);
    expect(lines[2]).toMatch(/^second \S+$/);
  }, 180_000);

  it('a backend whose calls never end in time: both predicts time out (the first kills its child), then exit 0', () => {
    // the child blocks for 10 minutes, so returning at all proves the timeout cut it off, whatever the machine
    expect(runScript('blocking', 1000)).toEqual([
      'backend blocking',
      'first inference_timeout',
      'second inference_timeout',
    ]);
  }, 180_000);
});
