/**
 * CPU time of each thread of this process (Linux: /proc/self/task/<tid>/stat, in clock ticks of 10 ms), so a bench
 * can tell the planner's thread from the onnx worker thread. Unlike wall time it hardly depends on what else the
 * machine runs: with a free core per thread, a pipeline whose run is in a worker thread is bounded by the busier of
 * the two threads' CPU time per item. Null where /proc is not there. Also the CPU time of a whole process (a child's).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU time a process (all its threads) has run, ns: /proc/<pid>/schedstat, not skewed by time spent waiting. */
export function processCpuNs(pid: number | 'self'): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

/** CPU seconds (user + system) per thread id. */
export function threadCpu(): Map<string, number> | null {
  if (!existsSync('/proc/self/task')) return null;
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Adds `after - before` per thread into `into` (threads that started meanwhile count from 0). */
export function addCpu(into: Map<string, number>, before: Map<string, number>, after: Map<string, number>): void {
  for (const [tid, s] of after) into.set(tid, (into.get(tid) ?? 0) + s - (before.get(tid) ?? 0));
}

/** The main thread's CPU seconds and the busiest other thread's (the onnx worker thread when there is one). */
export function mainAndBusiest(total: Map<string, number>): { main: number; other: number } {
  const main = total.get(String(process.pid)) ?? 0;
  const other = Math.max(0, ...[...total].filter(([tid]) => tid !== String(process.pid)).map(([, s]) => s));
  return { main, other };
}
