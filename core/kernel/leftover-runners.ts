/**
 * Runner process groups a dead kernel left behind. Runners are detached (their own process groups), so a kernel
 * killed with SIGKILL leaves them running. The kernel records each candidate's process group id in the workcell
 * (`runners.json`) right after spawning it; before an unfinished issue is redone, the groups still alive are
 * stopped (SIGTERM, SIGKILL after the grace period), so a restart never runs a second copy next to the first.
 *
 * On Linux a group is only signalled when one of its live members carries this workcell in its environment
 * (`CYNTRA_WORKCELL_DIR`), so a process group id reused by an unrelated program is left alone.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { writeJsonAtomic } from './atomic-write.js';
import type { RunnerGroup } from './runner.js';

export const RUNNERS_FILE = 'runners.json';
const PROC = '/proc';

export interface RunnerGroupsRecord {
  readonly schema_version: 'cyntra-planner.runner_groups.v1';
  readonly kernel_pid: number;
  readonly host: string;
  readonly workcell_dir: string;
  readonly groups: readonly RunnerGroup[];
}

export function recordRunnerGroups(workcellDir: string, groups: readonly RunnerGroup[]): void {
  const record: RunnerGroupsRecord = {
    schema_version: 'cyntra-planner.runner_groups.v1',
    kernel_pid: process.pid,
    host: hostname(),
    workcell_dir: workcellDir,
    groups,
  };
  // not fsynced: after a power loss no runner survives, so the record only has to outlive the kernel process
  writeJsonAtomic(join(workcellDir, RUNNERS_FILE), record, { durable: false });
}

/** Stops the recorded groups of `workcellDir` that are still running; returns the pgids it signalled. */
export async function stopLeftoverRunners(workcellDir: string, graceMs: number, logger: Logger): Promise<number[]> {
  const record = readRecord(join(workcellDir, RUNNERS_FILE));
  if (record === null || record.host !== hostname()) return [];
  const stopped: number[] = [];
  for (const { pgid } of record.groups) {
    if (!Number.isInteger(pgid) || pgid <= 1 || !belongsTo(pgid, workcellDir)) continue;
    logger.warn(
      { workcell: workcellDir, pgid, kernelPid: record.kernel_pid },
      'stopping a runner process group an earlier kernel left running',
    );
    signalGroup(pgid, 'SIGTERM');
    if (!(await gone(pgid, graceMs))) {
      signalGroup(pgid, 'SIGKILL');
      if (!(await gone(pgid, Math.max(2000, graceMs))))
        logger.error({ workcell: workcellDir, pgid }, 'a leftover runner process group survived SIGKILL');
    }
    stopped.push(pgid);
  }
  return stopped;
}

function readRecord(file: string): RunnerGroupsRecord | null {
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as RunnerGroupsRecord;
    return Array.isArray(v.groups) && typeof v.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** True when the group has a live member started for this workcell (without /proc: when the group exists). */
function belongsTo(pgid: number, workcellDir: string): boolean {
  if (!existsSync(PROC)) return groupExists(pgid);
  const marker = `CYNTRA_WORKCELL_DIR=${workcellDir}\0`;
  return liveMembers(pgid).some((pid) => {
    try {
      return readFileSync(join(PROC, String(pid), 'environ'), 'latin1').includes(marker);
    } catch {
      return false;
    }
  });
}

/** Pids in process group `pgid` that are not zombies (a zombie waits for a reaper; it runs nothing). */
function liveMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync(PROC)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(join(PROC, name, 'stat'), 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function groupExists(pgid: number): boolean {
  if (existsSync(PROC)) return liveMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

async function gone(pgid: number, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (groupExists(pgid)) {
    if (performance.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
