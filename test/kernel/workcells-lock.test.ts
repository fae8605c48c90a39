import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKernel } from '../../core/kernel/kernel.js';
import { LOCK_FILE, acquireWorkcellsLock } from '../../core/kernel/workcells-lock.js';
import { issue, kernelConfig, runnerYaml, tempDir, writeRunnerScript } from './kernel-helpers.js';
import { createDefaultRegistry } from '../../plugins/index.js';

const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir('cyntra-lock-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited (and was reaped): a kernel that died. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the workcells lock', () => {
  it('is exclusive: a second holder is refused with WORKCELLS_LOCKED naming the holder, until the first releases it', () => {
    const dir = join(scratch(), 'wc');
    const first = acquireWorkcellsLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    // the same live process (with its recorded start time) is a live holder
    expect(thrown(() => acquireWorkcellsLock(dir))).toMatchObject({
      code: 'WORKCELLS_LOCKED',
      context: { pid: process.pid, host: hostname() },
    });
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const second = acquireWorkcellsLock(dir);
    second.release();
    expect(readdirSync(dir)).toEqual([]); // no temp or stale files left behind
  });

  it('takes over the lock of a dead holder on this host', () => {
    const dir = scratch();
    const dead = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), started_at: 'then' }));
    const lock = acquireWorkcellsLock(dir);
    expect(lock.tookOver).toEqual([{ pid: dead, host: hostname(), started_at: 'then' }]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to another process (pid reuse, e.g. pid 1 in a restarted container)',
    () => {
      const dir = scratch();
      writeFileSync(
        join(dir, LOCK_FILE),
        JSON.stringify({ pid: process.pid, host: hostname(), started_at: 'then', proc_start: '1' }),
      );
      const lock = acquireWorkcellsLock(dir);
      expect(lock.tookOver).toMatchObject([{ pid: process.pid, proc_start: '1' }]);
      lock.release();
    },
  );

  it('refuses a lock held on another host (its liveness cannot be checked) or whose content is unreadable', () => {
    const dir = scratch();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, started_at: 'then' }),
    );
    expect(thrown(() => acquireWorkcellsLock(dir))).toMatchObject({ code: 'WORKCELLS_LOCKED' });
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(thrown(() => acquireWorkcellsLock(dir))).toMatchObject({ code: 'WORKCELLS_LOCKED' });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('garbage');
  });

  it('runKernel refuses a workcells directory another run holds, before running anything', async () => {
    const dir = scratch();
    const log = join(dir, 'runs.log');
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir), { RUN_LOG: log }));
    const other = acquireWorkcellsLock(config.kernel.workcells, { pid: process.pid });
    try {
      await expect(runKernel(config, [issue('A')], { registry: createDefaultRegistry() })).rejects.toMatchObject({
        code: 'WORKCELLS_LOCKED',
      });
      expect(existsSync(log)).toBe(false);
    } finally {
      other.release();
    }
    const report = await runKernel(config, [issue('A')], { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => r.outcome)).toEqual(['success']);
    expect(existsSync(join(config.kernel.workcells, LOCK_FILE))).toBe(false); // released at the end
  });
});
