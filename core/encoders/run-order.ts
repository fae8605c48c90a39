/**
 * History ordering shared by both encoders: the object items of `history.last_n_similar_runs`, sorted by
 * `(-int(started_ms or 0), str(run_id or ""))` (most recent first, then run id by code point), first `limit` kept.
 */
import { compareCodePoints } from './python-strip.js';
import { pyIntOrZero, pyStrOrEmpty } from './python-int.js';
import { asRecord, isRecord } from './record.js';

interface Keyed {
  readonly run: Record<string, unknown>;
  readonly started: bigint;
  readonly id: string;
  readonly index: number;
}

export function orderedRuns(input: Record<string, unknown>, limit: number): Record<string, unknown>[] {
  const list = asRecord(input.history).last_n_similar_runs;
  if (!Array.isArray(list)) return [];
  const keyed: Keyed[] = [];
  for (let i = 0; i < list.length; i++) {
    const run: unknown = list[i];
    if (!isRecord(run)) continue;
    const where = `history.last_n_similar_runs[${i}]`;
    keyed.push({
      run,
      started: pyIntOrZero(run.started_ms, `${where}.started_ms`),
      id: pyStrOrEmpty(run.run_id, `${where}.run_id`),
      index: i,
    });
  }
  keyed.sort(compareKeyed);
  return keyed.slice(0, Math.max(0, limit)).map((k) => k.run);
}

/** Python's sort is stable, so equal keys keep list order. */
function compareKeyed(a: Keyed, b: Keyed): number {
  if (a.started !== b.started) return a.started > b.started ? -1 : 1;
  return compareCodePoints(a.id, b.id) || a.index - b.index;
}
