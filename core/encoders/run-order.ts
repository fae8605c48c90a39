/**
 * History ordering shared by both encoders: the object items of `history.last_n_similar_runs`, sorted by
 * `(-int(started_ms or 0), str(run_id or ""))` (most recent first, then run id by code point), first `limit` kept.
 */
import { compareCodePoints } from './python-strip.js';
import { pyIntOrZero, pyStrOrEmpty } from './python-int.js';
import { asRecord, isRecord } from './record.js';

interface Keyed {
  readonly run: Record<string, unknown>;
  /** `int(started_ms or 0)`: a number when the field is one (exact: trunc of a double is an integer double). */
  readonly started: bigint | number;
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
    keyed.push({ run, started: startedKey(run.started_ms, i), id: runIdKey(run.run_id, i), index: i });
  }
  keyed.sort(compareKeyed);
  return keyed.slice(0, Math.max(0, limit)).map((k) => k.run);
}

/**
 * A finite number is kept as `Math.trunc` of it, which equals Python's `int()` of it: comparing it with another such
 * number or with a BigInt from the slow path is exact (`<` and `>` across number and bigint compare values).
 */
function startedKey(x: unknown, i: number): bigint | number {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.trunc(x);
  return pyIntOrZero(x, `history.last_n_similar_runs[${i}].started_ms`);
}

function runIdKey(x: unknown, i: number): string {
  return typeof x === 'string' ? x : pyStrOrEmpty(x, `history.last_n_similar_runs[${i}].run_id`);
}

/** Python's sort is stable, so equal keys keep list order. */
function compareKeyed(a: Keyed, b: Keyed): number {
  if (a.started > b.started) return -1;
  if (a.started < b.started) return 1;
  return compareCodePoints(a.id, b.id) || a.index - b.index;
}
