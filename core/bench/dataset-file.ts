/**
 * Writing a planner dataset (reference §13.3/§6.2): rows sorted by (started_ms, run_id), split by time 80/10/10
 * (`int(n*0.8)` train, `int(n*0.1)` val, the rest test), one row per line as canonical JSON (sorted keys), and
 * `meta.json` with `dataset_hash` = SHA-256 over every row's canonical JSON plus "\n" (= the file's bytes).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson, compareCodePoints } from '../canonical-json.js';
import { writeFileAtomic, writeJsonAtomic } from '../kernel/atomic-write.js';
import { rfc3339 } from '../time.js';

export type Split = 'train' | 'val' | 'test';

export interface DatasetRow {
  run_id: string;
  started_ms: number;
  [key: string]: unknown;
}

/** A row the builder could not use: where (file[:line]) and why. */
export interface SkippedRow {
  readonly where: string;
  readonly reason: string;
}

/** Tells a skipped row from a dataset row (rows always have `run_id`). */
export function isSkipped(x: DatasetRow | SkippedRow): x is SkippedRow {
  return !('run_id' in x) && 'reason' in x;
}

export interface DatasetMeta {
  schema_version: string;
  generated_at: string;
  source: Record<string, unknown>;
  example_count: number;
  split_counts: Record<Split, number>;
  dataset_hash: string;
  skipped_count: number;
  skipped: SkippedRow[];
}

export const DATASET_META_SCHEMA_ID = 'https://cyntra-planner/schemas/dataset-meta.json';
export const DATASET_ROW_SCHEMA_ID = 'https://cyntra-planner/schemas/dataset-row.json';

/** Sorted by (started_ms, run_id) and each row given its `split`. Returns new row objects. */
export function sortAndSplit<T extends DatasetRow>(rows: readonly T[]): (T & { split: Split })[] {
  const sorted = [...rows].sort((a, b) => a.started_ms - b.started_ms || compareCodePoints(a.run_id, b.run_id));
  const n = sorted.length;
  const nTrain = Math.floor(n * 0.8);
  const nVal = Math.floor(n * 0.1);
  return sorted.map((r, i) => ({ ...r, split: i < nTrain ? 'train' : i < nTrain + nVal ? 'val' : 'test' }));
}

export function datasetText(rows: readonly DatasetRow[]): string {
  return rows.map((r) => `${canonicalJson(r)}\n`).join('');
}

export function datasetHash(rows: readonly DatasetRow[]): string {
  return createHash('sha256').update(datasetText(rows), 'utf8').digest('hex');
}

export function splitCounts(rows: readonly { split: Split }[]): Record<Split, number> {
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const r of rows) counts[r.split]++;
  return counts;
}

/** Writes `dataset.jsonl` then `meta.json` (both atomic) into `outDir`; returns the meta. */
export function writeDataset(
  outDir: string,
  opts: {
    schemaVersion: string;
    source: Record<string, unknown>;
    rows: readonly (DatasetRow & { split: Split })[];
    skipped: readonly SkippedRow[];
    now: number;
  },
): DatasetMeta {
  const text = datasetText(opts.rows);
  writeFileAtomic(join(outDir, 'dataset.jsonl'), text);
  const meta: DatasetMeta = {
    schema_version: opts.schemaVersion,
    generated_at: rfc3339(opts.now),
    source: opts.source,
    example_count: opts.rows.length,
    split_counts: splitCounts(opts.rows),
    dataset_hash: createHash('sha256').update(text, 'utf8').digest('hex'),
    skipped_count: opts.skipped.length,
    skipped: [...opts.skipped],
  };
  writeJsonAtomic(join(outDir, 'meta.json'), meta);
  return meta;
}
