import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunnerSection } from '../../core/kernel/kernel-config-types.js';
import { budgetMs, runIssue } from '../../core/kernel/runner.js';
import type { ExecutedPlanRecord } from '../../core/records.js';
import { tempDir, writeRunnerScript } from './kernel-helpers.js';

function plan(candidates: number, timeoutSeconds: number | null): ExecutedPlanRecord {
  return {
    schema_version: 'cyntra.executed_plan.v1',
    swarm_id_executed: candidates > 1 ? 'speculate_vote' : 'serial_handoff',
    max_candidates_executed: candidates,
    timeout_seconds_executed: timeoutSeconds,
    max_iterations_executed: null,
    fallback_applied: false,
    fallback_reason: null,
  };
}

function runner(script: string, env: Record<string, string>): RunnerSection {
  // time_scale 0.001: one planned second lasts one millisecond
  return { command: [process.execPath, script], shell: false, timeScale: 0.001, killGraceMs: 200, env };
}

/** Alive and not a zombie waiting to be reaped (containers may reap late). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitUntil(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

function request(dir: string, p: ExecutedPlanRecord) {
  return {
    issueId: 'I-1',
    plan: p,
    workcellDir: dir,
    issueFile: join(dir, 'issue.json'),
    cwd: dir,
    logFile: (i: number) => join(dir, `c${i}.log`),
  };
}

describe('runner', () => {
  it('records success with exit code 0 and passes the budgets in env vars', async () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const result = await runIssue(runner(writeRunnerScript(dir), { RUN_LOG: log }), request(dir, plan(1, 30_000)));
    expect(result).toMatchObject({ status: 'success', winner: 0 });
    expect(result.candidates).toMatchObject([{ index: 0, exitCode: 0, status: 'success' }]);
    expect(readFileSync(log, 'utf8')).toBe('I-1 0 1 30000\n');
  });

  it('records failure with the exit codes', async () => {
    const dir = tempDir();
    const result = await runIssue(runner(writeRunnerScript(dir), { CODE: '3' }), request(dir, plan(2, 30_000)));
    expect(result.status).toBe('failed');
    expect(result.winner).toBeNull();
    expect(result.candidates.map((c) => c.exitCode)).toEqual([3, 3]);
  });

  it('speculate_vote: runs candidates in parallel, the first success wins and the others are killed', async () => {
    const dir = tempDir();
    const env = { CODE_0: '1', SLEEP_MS_1: '300', SLEEP_MS_2: '60000', RUN_LOG: join(dir, 'runs.log') };
    const result = await runIssue(runner(writeRunnerScript(dir), env), request(dir, plan(3, 30_000)));
    expect(result.status).toBe('success');
    expect(result.winner).toBe(1);
    // candidate 0 fails at once; on a very busy machine it may still be starting when candidate 1 wins
    expect(['failed', 'killed']).toContain(result.candidates[0].status);
    expect(result.candidates.slice(1).map((c) => c.status)).toEqual(['success', 'killed']);
    expect(result.candidates[2].signal).toBe('SIGTERM');
    expect(readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n').sort()).toEqual([
      'I-1 0 3 30000',
      'I-1 1 3 30000',
      'I-1 2 3 30000',
    ]);
  });

  it('kills the whole process group on timeout (SIGTERM, then SIGKILL for what ignores it)', async () => {
    const dir = tempDir();
    const script = join(dir, 'stubborn.mjs');
    const pidFile = join(dir, 'grandchild.pid');
    // The command starts a grandchild that ignores SIGTERM, then itself ignores SIGTERM too.
    writeFileSync(
      script,
      [
        "import { spawn } from 'node:child_process';",
        "import { writeFileSync } from 'node:fs';",
        `const g = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });`,
        `writeFileSync(${JSON.stringify(pidFile)}, String(g.pid) + ' ' + process.pid);`,
        "process.on('SIGTERM', () => {});",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    // 4000 planned seconds = 4 s real: long enough for node to start and write the pid file on a busy machine
    const result = await runIssue(runner(script, {}), request(dir, plan(1, 4000)));
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    try {
      expect(result.status).toBe('timeout');
      expect(result.candidates[0]).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
      expect(await waitUntil(() => !alive(pids[0]))).toBe(true);
    } finally {
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL'); // never leave strays behind when this fails
    }
  });

  it('a timed-out run that exits on SIGTERM is recorded as timeout, not failure', async () => {
    const dir = tempDir();
    const result = await runIssue(runner(writeRunnerScript(dir), { SLEEP_MS: '60000' }), request(dir, plan(2, 200)));
    expect(result.status).toBe('timeout');
    expect(result.candidates.map((c) => [c.status, c.signal])).toEqual([
      ['timeout', 'SIGTERM'],
      ['timeout', 'SIGTERM'],
    ]);
  });

  it('a command that exits 0 once its budget has run out is a timeout, even when the timer has not fired yet', async () => {
    const dir = tempDir();
    // A stalled event loop, simulated with the monotonic clock: 120 s pass between spawn and exit, while the real
    // 60 s budget timer (60_000 planned seconds at 1 ms each) cannot fire before the command exits at once.
    let calls = 0;
    const monotonic = (): number => (calls++ === 0 ? 0 : 120_000);
    const result = await runIssue(runner(writeRunnerScript(dir), {}), { ...request(dir, plan(2, 60_000)), monotonic });
    expect(result.status).toBe('timeout');
    expect(result.winner).toBeNull();
    expect(result.candidates.map((c) => c.status)).toEqual(['timeout', 'timeout']);
    expect(result.candidates.map((c) => c.exitCode)).toContain(0); // the first to exit exited 0; the other may be killed
    // within the budget the same command succeeds
    const ok = await runIssue(runner(writeRunnerScript(dir), {}), {
      ...request(dir, plan(1, 60_000)),
      monotonic: () => 0,
    });
    expect(ok).toMatchObject({ status: 'success', winner: 0 });
  });

  it('budgetMs is the planned seconds scaled to real ms, null without a timeout', () => {
    const r = runner('x', {});
    expect(budgetMs(plan(1, 1800), { ...r, timeScale: 0.003 })).toBeCloseTo(5400);
    expect(budgetMs(plan(1, null), r)).toBeNull();
  });
});
