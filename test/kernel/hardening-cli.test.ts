/**
 * The built CLI under a bad day, as real processes: a second run on the same workcells, kill -9 of the kernel with
 * runners in flight, a reader that closes stdout, a stderr nobody reads, a log file on a full device.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stopLeftoverRunners } from '../../core/kernel/leftover-runners.js';
import { LOCK_FILE } from '../../core/kernel/workcells-lock.js';
import { silentLogger } from '../../core/logger.js';
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

afterEach(async () => {
  killChildren();
  for (const dir of dirs.splice(0)) {
    // runner groups a failing test left behind (only those whose environment names one of its workcells)
    const wc = join(dir, 'wc');
    if (existsSync(wc) && statSync(wc).isDirectory()) {
      for (const cell of readdirSync(wc)) await stopLeftoverRunners(join(wc, cell), 0, silentLogger);
    }
    for (const s of starts(dir).filter(
      (r) => alive(r.pid) && environOf(r.pid).includes(`CYNTRA_WORKCELL_DIR=${wc}/`),
    )) {
      try {
        process.kill(-s.pid, 'SIGKILL'); // an orphan whose record was overwritten by a later attempt
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

function environOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return '';
  }
}

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
    // 16 issues with 100 kB ids (an environment string holds at most 128 kB): over 3 MB of info logs into a pipe
    // that holds 64 kB
    const ids = Array.from({ length: 16 }, (_, i) => `L${i}-${'x'.repeat(100_000)}`);
    const dir = project(ids, { concurrency: 4, command: ['/bin/sh', '-c', 'exit 0'] });
    const run = spawnCli(['run', '--config', 'config.yaml', '--log-level', 'info'], dir, { readStderr: false });
    const { code } = await run.exited;
    expect(code).toBe(0);
    const manifests = ids.map((id) => JSON.parse(readFileSync(workcellPaths(join(dir, 'wc'), id).manifest, 'utf8')));
    expect(manifests.map((m) => `${m.status} ${m.run?.status}`)).toEqual(ids.map(() => 'finished success'));
    expect(run.stdout).toMatch(
      /^cyntra-planner: warning: LOG_WRITE_FAILED: \d+ log lines could not be written to stderr/m,
    );
  }, 60_000);

  it('with a stderr nobody reads, SIGTERM still stops the run and its runner', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `S${i}-${'x'.repeat(100_000)}`); // over 1.4 MB of logs before S7 runs
    const dir = project(ids, { command: ['/bin/sh', '-c', 'case "$CYNTRA_ISSUE_ID" in S7*) exec sleep 60;; esac'] });
    const run = spawnCli(['run', '--config', 'config.yaml', '--log-level', 'info'], dir, { readStderr: false });
    const runners = join(workcellPaths(join(dir, 'wc'), ids[7]).dir, 'runners.json');
    await waitFor(() => existsSync(runners), 'the last issue to start its runner');
    const pgid = JSON.parse(readFileSync(runners, 'utf8')).groups[0].pgid as number;
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(1); // interrupted, not hung in a log write
    expect(ids.slice(0, 7).filter((id) => !finished(dir, id))).toEqual([]);
    await waitFor(() => !alive(pgid), 'the runner to be stopped');
  }, 60_000);

  it.runIf(existsSync('/dev/full'))(
    '--log-file on a full device: the run completes and says, coded, that its log lines were lost',
    async () => {
      const dir = project(['F']);
      const run = spawnCli(['run', '--config', 'config.yaml', '--log-level', 'info', '--log-file', '/dev/full'], dir);
      const { code } = await run.exited;
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /^cyntra-planner: warning: LOG_WRITE_FAILED: \d+ log lines? could not be written to \/dev\/full \(ENOSPC/m,
      );
      expect(finished(dir, 'F')).toBe(true);
    },
    30_000,
  );
});
