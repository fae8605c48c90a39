import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUNNERS_FILE, recordRunnerGroups, stopLeftoverRunners } from '../../core/kernel/leftover-runners.js';
import { silentLogger } from '../../core/logger.js';
import { alive, waitFor } from './cli-process.js';
import { tempDir } from './kernel-helpers.js';

const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A detached `sleep` in its own process group, with `env` added to its environment. */
async function group(env: Record<string, string>): Promise<number> {
  const child = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  procs.push(child);
  await waitFor(() => alive(child.pid!), 'the group to start');
  return child.pid!;
}

describe.runIf(existsSync('/proc/self/environ'))('leftover runner groups', () => {
  it('stops the recorded groups still running for this workcell, and leaves a group id now used by another program alone', async () => {
    const dir = tempDir('cyntra-leftover-');
    dirs.push(dir);
    const workcell = join(dir, 'wc', 'A');
    mkdirSync(workcell, { recursive: true });
    const ours = await group({ CYNTRA_WORKCELL_DIR: workcell });
    const stranger = await group({ CYNTRA_WORKCELL_DIR: join(dir, 'wc', 'B') });
    recordRunnerGroups(workcell, [
      { index: 0, pgid: ours },
      { index: 1, pgid: stranger },
    ]);
    expect(JSON.parse(readFileSync(join(workcell, RUNNERS_FILE), 'utf8')).groups).toHaveLength(2);
    expect(await stopLeftoverRunners(workcell, 200, silentLogger)).toEqual([ours]);
    expect(alive(ours)).toBe(false);
    expect(alive(stranger)).toBe(true);
    expect(await stopLeftoverRunners(workcell, 200, silentLogger)).toEqual([]); // nothing left: a no-op
  });

  it('does nothing for a workcell without a record', async () => {
    const dir = tempDir('cyntra-leftover-');
    dirs.push(dir);
    expect(await stopLeftoverRunners(dir, 200, silentLogger)).toEqual([]);
  });
});
