/**
 * Runs an issue under its executed plan: one process per candidate (in parallel for speculate_vote), each in its own
 * process group. The first success wins and the others are killed; at the planned timeout every process group still
 * running gets SIGTERM, then SIGKILL after a grace period. Never throws for a failing command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { RunStatus } from '../planner-input-types.js';
import type { ExecutedPlanRecord } from '../records.js';
import type { RunnerSection } from './kernel-config-types.js';

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
}

export async function runIssue(runner: RunnerSection, req: RunRequest): Promise<RunResult> {
  const startedMs = (req.now ?? Date.now)();
  const t0 = performance.now();
  const count = Math.max(1, req.plan.max_candidates_executed ?? 1);
  const timeoutMs = req.plan.timeout_seconds_executed === null ? null : req.plan.timeout_seconds_executed * 1000 * runner.timeScale;
  mkdirSync(req.workcellDir, { recursive: true });
  const procs = Array.from({ length: count }, (_, i) => startCandidate(runner, req, i, count));
  const state = { timedOut: false, winner: null as number | null };
  const killAll = (): void => procs.forEach((p) => killGroup(p.child, runner.killGraceMs));
  const timer = timeoutMs === null ? null : setTimeout(() => {
    state.timedOut = true;
    killAll();
  }, timeoutMs);
  req.signal?.addEventListener('abort', killAll, { once: true });
  if (req.signal?.aborted) killAll();
  const results = await Promise.all(
    procs.map(async (p, i): Promise<CandidateResult> => {
      const { code, signal } = await p.done;
      const durationMs = performance.now() - t0;
      if (code === 0 && state.winner === null && !state.timedOut) {
        state.winner = i;
        procs.forEach((other, j) => j !== i && killGroup(other.child, runner.killGraceMs));
        return { index: i, exitCode: 0, signal: null, status: 'success', durationMs };
      }
      const status = state.timedOut ? 'timeout' : state.winner !== null && code !== 0 ? 'killed' : code === 0 ? 'success' : 'failed';
      return { index: i, exitCode: code, signal, status, durationMs };
    }),
  );
  if (timer) clearTimeout(timer);
  req.signal?.removeEventListener('abort', killAll);
  const status: RunStatus = state.winner !== null ? 'success' : state.timedOut ? 'timeout' : 'failed';
  return { status, startedMs, durationMs: performance.now() - t0, winner: state.winner, candidates: results };
}

interface Started {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: string | null }>;
}

function startCandidate(runner: RunnerSection, req: RunRequest, index: number, count: number): Started {
  const log = openSync(req.logFile(index), 'w');
  const [cmd, ...args] = runner.shell ? ['/bin/sh', '-c', runner.command.join(' ')] : runner.command;
  const child = spawn(cmd, args, { cwd: req.cwd, detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...runner.env, ...candidateEnv(req, index, count) } });
  closeSync(log);
  const done = new Promise<{ code: number | null; signal: string | null }>((resolveDone) => {
    child.once('error', () => resolveDone({ code: 127, signal: null }));
    child.once('exit', (code, signal) => resolveDone({ code, signal }));
  });
  return { child, done };
}

/** What the command learns about its job. */
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
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  timer.unref(); // the group may outlive its leader, so SIGKILL goes out even after the leader exits
}
