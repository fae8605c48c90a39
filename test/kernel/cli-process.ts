/** Real-process helpers for the kernel's hardening tests: the built CLI as a child, a runner that reports itself. */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';

export const BIN = join(packageRoot(), 'dist', 'core', 'cli', 'main.js');

export interface CliChild {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Spawns `node dist/core/cli/main.js ...args` in `cwd` with piped output, read unless `readStderr` is false. */
export function spawnCli(args: string[], cwd: string, opts: { readStderr?: boolean } = {}): CliChild {
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio,
    env: { ...process.env, CYNTRA_PLANNER_LOG_LEVEL: 'warn' },
  });
  children.add(child);
  const out: CliChild = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => (children.delete(child), resolve({ code, signal }))),
    ),
  };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  if (opts.readStderr === false)
    child.stderr?.pause(); // nobody reads: the pipe fills up and stays full
  else child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return out;
}

/** SIGKILLs every CLI child still running (afterEach). */
export function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

/** Polls `test` every 20 ms; rejects after `limitMs` (a hang guard, not a performance check). */
export async function waitFor(test: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True when `pid` is a running process (a zombie waiting to be reaped does not count). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * A runner script: appends `<pid> <issue id> overlap=<0|1>` to `starts.log` (overlap=1 when a runner listed earlier
 * for the same issue is still running), sleeps for the ms written in `sleep-ms` (default 0), exits 0.
 */
export function writeReportingRunner(dir: string): string {
  const file = join(dir, 'runner.mjs');
  writeFileSync(
    file,
    `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const dir = ${JSON.stringify(dir)};
const id = process.env.CYNTRA_ISSUE_ID;
const running = (pid) => { try { const s = readFileSync('/proc/' + pid + '/stat', 'latin1'); const st = s[s.lastIndexOf(')') + 2]; return st !== 'Z' && st !== 'X'; } catch { return false; } };
const log = dir + '/starts.log';
const earlier = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\\n').filter(Boolean).map((l) => l.split(' ')).filter((f) => f[1] === id) : [];
const overlap = earlier.some((f) => running(Number(f[0]))) ? 1 : 0;
appendFileSync(log, process.pid + ' ' + id + ' overlap=' + overlap + '\\n');
process.stdout.write('runner output for ' + id + '\\n');
const ms = existsSync(dir + '/sleep-ms') ? Number(readFileSync(dir + '/sleep-ms', 'utf8')) : 0;
setTimeout(() => process.exit(0), ms);
`,
  );
  return file;
}

/** The lines of `starts.log` as { pid, id, overlap }. */
export function starts(dir: string): { pid: number; id: string; overlap: boolean }[] {
  const file = join(dir, 'starts.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [pid, id, overlap] = l.split(' ');
      return { pid: Number(pid), id, overlap: overlap === 'overlap=1' };
    });
}

/** A project in `dir`: config.yaml (root = dir) running the reporting runner (or `command`), issues.jsonl with `ids`. */
export function writeProject(
  dir: string,
  ids: string[],
  opts: { concurrency?: number; command?: string[] } = {},
): void {
  const command = opts.command ?? [process.execPath, writeReportingRunner(dir)];
  writeFileSync(
    join(dir, 'config.yaml'),
    `kernel:\n  issues: issues.jsonl\n  workcells: wc\n  concurrency: ${opts.concurrency ?? 1}\n  runner:\n    command: ${JSON.stringify(command)}\n    time_scale: 1\n    kill_grace_ms: 300\n`,
  );
  writeFileSync(
    join(dir, 'issues.jsonl'),
    ids.map((id) => JSON.stringify({ id, dk_risk: 'low', dk_size: 'S' })).join('\n') + '\n',
  );
}
