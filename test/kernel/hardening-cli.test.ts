/**
 * The built CLI under a bad day, as real processes: a second run on the same workcells, kill -9 of the kernel with
 * runners in flight, a reader that closes stdout, a stderr nobody reads, a log file on a full device.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/kernel/workcells-lock.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { BIN, alive, killChildren, spawnCli, starts, waitFor, writeProject } from './cli-process.js';
import { tempDir } from './kernel-helpers.js';

const STACK_FRAME = /^\s+at .+[:(]/m;
const linux = existsSync('/proc/self/stat');

const dirs: string[] = [];
function project(ids: string[], opts: { concurrency?: number; command?: string[] } = {}): string {
  const dir = tempDir('cyntra-hardening-');
  dirs.push(dir);
  writeProject(dir, ids, opts);
  return dir;
}

afterEach(() => {
  killChildren();
  for (const dir of dirs.splice(0)) {
    for (const s of starts(dir)) {
      try {
        process.kill(-s.pid, 'SIGKILL'); // a runner group a failing test left behind
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

function finished(dir: string, id: string): boolean {
  const file = workcellPaths(join(dir, 'wc'), id).manifest;
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).status === 'finished';
}

beforeAll(() => {
  expect(existsSync(BIN), 'build first: npx tsc -p tsconfig.json').toBe(true);
});

describe.runIf(linux)('the kernel on a bad day (built CLI, real processes)', () => {
  it('a second run on the same workcells is refused with WORKCELLS_LOCKED, exit 1, and runs nothing', async () => {
    const dir = project(['A']);
    writeFileSync(join(dir, 'sleep-ms'), '60000');
    const first = spawnCli(['run', '--config', 'config.yaml'], dir);
    await waitFor(() => starts(dir).length === 1, 'the first run to start its runner');
    const second = spawnCli(['run', '--config', 'config.yaml'], dir);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr).toMatch(/^cyntra-planner: WORKCELLS_LOCKED: [^\n]*\n$/);
    expect(starts(dir)).toHaveLength(1);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(1); // interrupted
    await waitFor(() => !alive(starts(dir)[0].pid), 'the interrupted runner to be stopped');
    expect(existsSync(join(dir, 'wc', LOCK_FILE))).toBe(false);
  }, 30_000);

  it('after kill -9 of the kernel, the restart stops the runner it left and redoes the issue without a second copy', async () => {
    const dir = project(['K']);
    writeFileSync(join(dir, 'sleep-ms'), '60000');
    const first = spawnCli(['run', '--config', 'config.yaml'], dir);
    await waitFor(() => starts(dir).length === 1, 'the runner to start');
    first.child.kill('SIGKILL');
    await first.exited;
    const orphan = starts(dir)[0].pid;
    expect(alive(orphan)).toBe(true); // detached: it outlived its kernel
    writeFileSync(join(dir, 'sleep-ms'), '0');
    const restart = spawnCli(['run', '--config', 'config.yaml'], dir);
    const { code } = await restart.exited;
    expect(code, restart.stderr).toBe(0);
    expect(starts(dir).map((s) => s.overlap)).toEqual([false, false]); // the second copy never ran next to the first
    expect(alive(orphan)).toBe(false);
    expect(finished(dir, 'K')).toBe(true);
    expect(existsSync(join(dir, 'wc', LOCK_FILE))).toBe(false); // the dead kernel's lock was taken over, then released
  }, 30_000);

  it('`run | head -1`: a closed stdout is not a crash; the queue finishes and no runner is left behind', async () => {
    const ids = ['P1', 'P2', 'P3', 'P4'];
    const dir = project(ids);
    writeFileSync(join(dir, 'sleep-ms'), '150');
    const run = spawnCli(['run', '--config', 'config.yaml'], dir);
    await waitFor(() => run.stdout.includes('\n'), 'the first progress line');
    run.child.stdout!.destroy(); // the reader goes away, like `head -1`
    const { code } = await run.exited;
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(code, run.stderr).toBe(0);
    expect(ids.filter((id) => finished(dir, id))).toEqual(ids);
    expect(starts(dir).filter((s) => alive(s.pid))).toEqual([]);
  }, 30_000);

  it('a stderr nobody reads never stops the run: log lines are dropped and counted, and the run ends', async () => {
    // 8 issues with 200 kB ids: over 3 MB of info logs into a pipe that holds 64 kB
    const ids = Array.from({ length: 8 }, (_, i) => `L${i}-${'x'.repeat(200_000)}`);
    const dir = project(ids, { concurrency: 4, command: ['/bin/sh', '-c', 'exit 0'] });
    const run = spawnCli(['run', '--config', 'config.yaml', '--log-level', 'info'], dir, { readStderr: false });
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(ids.filter((id) => finished(dir, id))).toHaveLength(ids.length);
    expect(run.stdout).toMatch(/^cyntra-planner: warning: LOG_WRITE_FAILED: \d+ log lines could not be written to stderr/m);
  }, 60_000);

  it.runIf(existsSync('/dev/full'))('--log-file on a full device: the run completes and says, coded, that its log lines were lost', async () => {
    const dir = project(['F']);
    const run = spawnCli(['run', '--config', 'config.yaml', '--log-level', 'info', '--log-file', '/dev/full'], dir);
    const { code } = await run.exited;
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^cyntra-planner: warning: LOG_WRITE_FAILED: \d+ log lines? could not be written to \/dev\/full \(ENOSPC/m);
    expect(finished(dir, 'F')).toBe(true);
  }, 30_000);
});
