/**
 * The time split of reference §13.3: rows sorted by `(started_ms, run_id)` (a missing `started_ms` sorts as 0, a
 * missing `run_id` as ""; the sort is stable), then the first `int(n·0.8)` are `train`, the next `int(n·0.1)` `val`,
 * the rest `test`. Applied to every row of the dataset file that is a JSON object, so a row that cannot be used
 * (no or an invalid `planner_input`) does not move the other rows to another split.
 */
import { compareCodePoints, numberOrNull } from './py-data.js';

export type Split = 'train' | 'val' | 'test';
export type SplitSelection = Split | 'all';
export const SPLIT_SELECTIONS: readonly SplitSelection[] = ['all', 'train', 'val', 'test'];

export interface SplitCounts {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

/** Split sizes for n rows: `int(n*0.8)`, `int(n*0.1)`, the rest. */
export function splitCounts(n: number): SplitCounts {
  const train = Math.floor(n * 0.8);
  const val = Math.floor(n * 0.1);
  return { train, val, test: n - train - val };
}

/** The split of each item, in the items' own order. */
export function assignSplits(items: readonly Readonly<Record<string, unknown>>[]): Split[] {
  const order = items.map((_, i) => i);
  order.sort((a, b) => compareRows(items[a], items[b]) || a - b);
  const counts = splitCounts(items.length);
  const out = new Array<Split>(items.length);
  order.forEach((index, rank) => {
    out[index] = rank < counts.train ? 'train' : rank < counts.train + counts.val ? 'val' : 'test';
  });
  return out;
}

function compareRows(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): number {
  const ta = numberOrNull(a.started_ms) ?? 0;
  const tb = numberOrNull(b.started_ms) ?? 0;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return compareCodePoints(runId(a), runId(b));
}

function runId(row: Readonly<Record<string, unknown>>): string {
  const id = row.run_id;
  return id === null || id === undefined ? '' : String(id);
}
