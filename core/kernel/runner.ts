/**
 * Runs an issue under its executed plan: one process per candidate (in parallel for speculate_vote), each in its own
 * process group. The first success wins and the others are killed; at the planned timeout every process group still
 * running gets SIGTERM, then SIGKILL after a grace period. Never throws for a failing command (one that cannot even
 * start is exit 127 with the reason in its log); throws IO_FAILED, before spawning anything, when a candidate log
 * cannot be created. The group ids are handed to `onGroups` as soon as they exist (the kernel records them).
 *
 * The budget is checked twice: by a timer (which kills), and again when a candidate exits: a candidate that exits
 * once the budget has run out is a timeout even when it exited 0, because a busy event loop can deliver its exit
 * before the timer fires. Exits are handed on through setImmediate so that a queue which spawns the next command
 * from an exit callback still lets the loop reach its timers (spawning from `exit` handlers starves them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { RunStatus } from '../planner-input-types.js';
import type { ExecutedPlanRecord } from '../records.js';
import type { RunnerSection } from './kernel-config-types.js';
import { timerDelay } from '../time.js';

export interface CandidateResult {
  readonly index: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** `killed`: stopped because another candidate won. */
  readonly status: RunStatus | 'killed';
  readonly durationMs: number;
}

export interface RunResult {
  readonly status: RunStatus;
  readonly startedMs: number;
  readonly durationMs: number;
  /** Index of the winning candidate, or null. */
  readonly winner: number | null;
  readonly candidates: readonly CandidateResult[];
}

export interface RunRequest {
  readonly issueId: string;
  readonly plan: ExecutedPlanRecord;
  readonly workcellDir: string;
  readonly issueFile: string;
  readonly cwd: string;
  readonly logFile: (index: number) => string;
  /** Epoch ms clock. */
  readonly now?: () => number;
  /** Aborting kills every candidate's process group (the kernel is shutting down). */
  readonly signal?: AbortSignal;
  /** Monotonic ms clock for durations and the budget (default performance.now; tests simulate a stalled loop). */
  readonly monotonic?: () => number;
  /** Told the process group id of every candidate right after they are spawned (the kernel records them); must not throw. */
  readonly onGroups?: (groups: readonly RunnerGroup[]) => void;
}

export interface RunnerGroup {
  readonly index: number;
  readonly pgid: number;
}

/** The planned budget in real ms (`minutes * 60 * 1000 * time_scale`), or null for no limit. */
export function budgetMs(plan: ExecutedPlanRecord, runner: RunnerSection): number | null {
  return plan.timeout_seconds_executed === null ? null : plan.timeout_seconds_executed * 1000 * runner.timeScale;
}

export async function runIssue(runner: RunnerSection, req: RunRequest): Promise<RunResult> {
  const startedMs = (req.now ?? Date.now)();
  const clock = req.monotonic ?? (() => performance.now());
  const t0 = clock();
  const count = Math.max(1, req.plan.max_candidates_executed ?? 1);
  const timeoutMs = budgetMs(req.plan, runner);
  mkdirSync(req.workcellDir, { recursive: true });
  const logs = openLogs(req, count);
  const procs = logs.map((log, i) => startCandidate(runner, req, i, count, log));
  req.onGroups?.(procs.flatMap((p, index) => (p.child?.pid === undefined ? [] : [{ index, pgid: p.child.pid }])));
  const state: RunState = { timedOut: false, winner: null };
  const killAll = (): void => procs.forEach((p) => p.child && killGroup(p.child, runner.killGraceMs));
  const expire = (): void => {
    state.timedOut = true;
    killAll();
  };
  const timer = timeoutMs === null ? null : setTimeout(expire, timerDelay(timeoutMs)); // never the 1 ms Node makes of > 2^31-1
  req.signal?.addEventListener('abort', killAll, { once: true });
  if (req.signal?.aborted) killAll();
  const results = await Promise.all(
    procs.map(async (p, i): Promise<CandidateResult> => {
      const { code, signal } = await p.done;
      const durationMs = clock() - t0;
      if (timeoutMs !== null && durationMs >= timeoutMs && state.winner === null && !state.timedOut) expire();
      const status = candidateStatus(code, state);
      if (status === 'success' && state.winner === null) {
        state.winner = i;
        procs.forEach((other, j) => j !== i && other.child && killGroup(other.child, runner.killGraceMs));
      }
      return { index: i, exitCode: code, signal, status, durationMs };
    }),
  );
  if (timer) clearTimeout(timer);
  req.signal?.removeEventListener('abort', killAll);
  const status: RunStatus = state.winner !== null ? 'success' : state.timedOut ? 'timeout' : 'failed';
  return { status, startedMs, durationMs: clock() - t0, winner: state.winner, candidates: results };
}

interface RunState {
  timedOut: boolean;
  winner: number | null;
}

/** `success` only for the first candidate to exit 0 within the budget; the rest lost, failed or ran out of time. */
function candidateStatus(code: number | null, state: RunState): CandidateResult['status'] {
  if (code === 0 && state.winner === null && !state.timedOut) return 'success';
  if (state.timedOut) return 'timeout';
  if (state.winner !== null && code !== 0) return 'killed';
  return code === 0 ? 'success' : 'failed';
}

interface Started {
  /** null when the command could not even be spawned. */
  readonly child: ChildProcess | null;
  readonly done: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * Creates every candidate's log before anything is spawned (so a failure leaves no process behind). An existing
 * entry is removed first and the file is created exclusively: a symlink planted in the workcell is never followed.
 */
function openLogs(req: RunRequest, count: number): number[] {
  const fds: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const file = req.logFile(i);
      rmSync(file, { force: true });
      fds.push(openSync(file, 'wx', 0o644));
    }
    return fds;
  } catch (cause) {
    fds.forEach((fd) => closeSync(fd));
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `cannot create a candidate log in ${req.workcellDir}: ${(cause as Error).message}; check the workcell directory`,
      {
        context: { dir: req.workcellDir },
        cause,
      },
    );
  }
}

/**
 * Spawns one candidate in its own process group with its output in `log` (closed when it ends). A command that
 * cannot start (not found, not executable) is exit 127, with the reason written into its log.
 */
function startCandidate(runner: RunnerSection, req: RunRequest, index: number, count: number, log: number): Started {
  const [cmd, ...args] = runner.shell ? ['/bin/sh', '-c', runner.command.join(' ')] : runner.command;
  const cannotStart = (error: Error): { code: number; signal: null } => {
    try {
      writeSync(log, `cyntra-planner: cannot start the runner command ${JSON.stringify(cmd)}: ${error.message}\n`);
    } catch {
      // the log is unwritable; the exit code still says it
    }
    return { code: 127, signal: null };
  };
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: req.cwd,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        ...runner.env,
        ...candidateEnv(req, index, count),
        CYNTRA_TIME_SCALE: String(runner.timeScale),
      },
    });
  } catch (error) {
    const result = cannotStart(error as Error);
    closeSync(log);
    return { child: null, done: Promise.resolve(result) };
  }
  const done = new Promise<{ code: number | null; signal: string | null }>((resolveDone) => {
    let settled = false;
    const finish = (r: { code: number | null; signal: string | null }): void => {
      if (settled) return;
      settled = true;
      closeSync(log);
      resolveDone(r);
    };
    child.once('error', (error) => finish(cannotStart(error)));
    child.once('exit', (code, signal) => setImmediate(() => finish({ code, signal })));
  });
  return { child, done };
}

/** What the command learns about its job (plus CYNTRA_TIME_SCALE, the runner's time_scale: real ms per planned second). */
export function candidateEnv(req: RunRequest, index: number, count: number): Record<string, string> {
  const p = req.plan;
  return {
    CYNTRA_ISSUE_ID: req.issueId,
    CYNTRA_ISSUE_FILE: req.issueFile,
    CYNTRA_WORKCELL_DIR: req.workcellDir,
    CYNTRA_SWARM_ID: p.swarm_id_executed,
    CYNTRA_CANDIDATE_INDEX: String(index),
    CYNTRA_CANDIDATES: String(count),
    CYNTRA_TIMEOUT_SECONDS: p.timeout_seconds_executed === null ? '' : String(p.timeout_seconds_executed),
    CYNTRA_MAX_ITERATIONS: p.max_iterations_executed === null ? '' : String(p.max_iterations_executed),
  };
}

/** SIGTERM to the whole process group, then SIGKILL after `graceMs` if it is still there. */
export function killGroup(child: ChildProcess, graceMs: number): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), timerDelay(graceMs));
  timer.unref(); // the group may outlive its leader, so SIGKILL goes out even after the leader exits
}
