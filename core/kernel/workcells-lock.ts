/**
 * The exclusive lock on a workcells directory: `<workcells>/.cyntra-run.lock` holds the holder's pid, host and start
 * time. It is published whole with link(2), which fails when the file exists, so two runs can never both hold it.
 * A lock whose holder is on this host and no longer alive is stale (a killed kernel) and is taken over; a live
 * holder, or one on another host, is refused with WORKCELLS_LOCKED. Where /proc exists the holder's process start
 * time is recorded too, so a pid reused by another process (a restarted container's kernel is pid 1 again) is not
 * taken for the holder.
 */
import { hostname } from 'node:os';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';

export const LOCK_FILE = '.cyntra-run.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), when known. */
  readonly proc_start?: string;
}

export interface WorkcellsLock {
  readonly file: string;
  /** Stale locks (dead holders) that were taken over. */
  readonly tookOver: readonly LockHolder[];
  release(): void;
}

export interface LockOptions {
  readonly pid?: number;
  readonly host?: string;
  /** Whether a holder on this host is alive (tests simulate); default: its pid runs and started when recorded. */
  readonly isAlive?: (holder: LockHolder) => boolean;
}

let seq = 0;

/** Takes the lock or throws WORKCELLS_LOCKED (held by a live run) / IO_FAILED (the directory is unusable). */
export function acquireWorkcellsLock(dir: string, opts: LockOptions = {}): WorkcellsLock {
  const pid = opts.pid ?? process.pid;
  const start = procStart(pid);
  const me: LockHolder = {
    pid,
    host: opts.host ?? hostname(),
    started_at: new Date().toISOString(),
    ...(start ? { proc_start: start } : {}),
  };
  const isAlive =
    opts.isAlive ??
    ((h: LockHolder) =>
      pidAlive(h.pid) &&
      (h.proc_start === undefined || procStart(h.pid) === null || procStart(h.pid) === h.proc_start));
  const file = join(dir, LOCK_FILE);
  const mine = `${JSON.stringify(me)}\n`;
  const temp = join(dir, `${LOCK_FILE}.${me.pid}.${++seq}.new`);
  const tookOver: LockHolder[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, mine, { flag: 'wx' });
  } catch (cause) {
    throw ioError(dir, cause);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryLink(temp, file)) return { file, tookOver, release: () => releaseIfMine(file, mine) };
      const seen = readHolder(file);
      if (seen === null) continue; // vanished between link and read: try again
      if (seen.holder === null || seen.holder.host !== me.host || isAlive(seen.holder))
        throw lockedError(file, seen.holder);
      if (breakStale(file, seen.text)) tookOver.push(seen.holder);
    }
    throw lockedError(file, readHolder(file)?.holder ?? null);
  } finally {
    rmSync(temp, { force: true });
  }
}

function tryLink(temp: string, file: string): boolean {
  try {
    linkSync(temp, file);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(file, cause);
  }
}

/** The lock's text and holder (null holder: unreadable content, treated as held); null when there is no lock file. */
function readHolder(file: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    const ok = Number.isInteger(v.pid) && typeof v.host === 'string';
    const start = typeof v.proc_start === 'string' ? { proc_start: v.proc_start } : {};
    return {
      text,
      holder: ok ? { pid: v.pid!, host: v.host!, started_at: String(v.started_at ?? ''), ...start } : null,
    };
  } catch {
    return { text, holder: null };
  }
}

/**
 * Moves a stale lock aside; true when the file moved was the stale one judged. If another run replaced it in between
 * (its live lock was moved), the live lock is put back and false is returned, so the next attempt refuses.
 */
function breakStale(file: string, staleText: string): boolean {
  const aside = `${file}.stale.${process.pid}.${++seq}`;
  try {
    renameSync(file, aside);
  } catch {
    return false; // someone else moved it: try again
  }
  try {
    if (readFileSync(aside, 'utf8') === staleText) return true;
    tryLink(aside, file);
    return false;
  } finally {
    rmSync(aside, { force: true });
  }
}

function releaseIfMine(file: string, mine: string): void {
  try {
    if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (start time since boot), or null where /proc is missing or the pid is gone. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function lockedError(file: string, holder: LockHolder | null): PlannerError {
  const who = holder
    ? `pid ${holder.pid} on host ${holder.host} since ${holder.started_at}`
    : 'a run whose lock file cannot be read';
  return new PlannerError(
    ErrorCodes.WORKCELLS_LOCKED,
    `${file}: the workcells directory is in use by another run (${who}); wait for it to finish, or pass another --workcells. If no such run exists, delete ${file}`,
    { context: { file, pid: holder?.pid ?? null, host: holder?.host ?? null } },
  );
}

function ioError(path: string, cause: unknown): PlannerError {
  const notDir = ['ENOTDIR', 'EEXIST'].includes((cause as NodeJS.ErrnoException).code ?? '') || isFile(path);
  const hint = notDir
    ? 'the workcells path (or a parent) is not a directory; point kernel.workcells or --workcells at a directory'
    : "check the directory's permissions and free space";
  return new PlannerError(
    notDir ? ErrorCodes.CONFIG_INVALID : ErrorCodes.IO_FAILED,
    `cannot lock workcells directory ${path}: ${(cause as Error).message}; ${hint}`,
    {
      context: { dir: path },
      cause,
    },
  );
}

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}
