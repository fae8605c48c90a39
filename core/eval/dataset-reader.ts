/**
 * Reads an outcome dataset (reference §13.3, JSONL) for `eval` and `calibrate`. A bad line never stops the read:
 * it is skipped and listed with its line number (not JSON, not an object, no `planner_input`, an input that fails
 * the `cyntra.planner_input.v1` schema). Labels and bench candidates are read as data, never validated against an
 * action space (`action-data.ts`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ActionTuple } from '../action.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { SchemaIds, SchemaRegistry } from '../schemas.js';
import { readArrayAction, readLabelAction } from './action-data.js';
import { assignSplits, splitCounts, type Split, type SplitCounts } from './dataset-split.js';
import { numberOrNull, pyTruthy } from './py-data.js';

export type SkipReason = 'not_json' | 'not_object' | 'no_planner_input' | 'invalid_planner_input';

export interface SkippedRow {
  readonly line: number;
  readonly reason: SkipReason;
  readonly message: string;
}

export interface BenchCandidate {
  /** The candidate's `action` as data; null when it is not a `[swarm, c, m, i]` array with a swarm. */
  readonly action: ActionTuple | null;
  readonly rawAction: unknown;
  readonly verified: boolean;
  readonly durationMs: number | null;
  readonly costUsd: number | null;
}

export interface DatasetRow {
  readonly line: number;
  readonly split: Split;
  readonly issueId: string | null;
  readonly input: PlannerInputV1;
  /** Null when the row has no usable `label_action` (it takes no part in the prediction metrics). */
  readonly label: ActionTuple | null;
  /** Null when the row has no `bench.candidates` list with at least one candidate. */
  readonly bench: readonly BenchCandidate[] | null;
}

export interface Dataset {
  readonly file: string;
  readonly sha256: string;
  /** Lines that are JSON objects: what the split is computed over. */
  readonly objectRows: number;
  readonly splitCounts: SplitCounts;
  /** Rows whose own `split` field (the dataset tool writes one) names another split than the time split here. */
  readonly splitFieldDisagreements: number;
  readonly rows: readonly DatasetRow[];
  readonly skipped: readonly SkippedRow[];
}

export function readDataset(file: string, schemas = new SchemaRegistry()): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${file}: cannot read the dataset (${why}); check the path`, {
      context: { file },
      cause,
    });
  }
  const skipped: SkippedRow[] = [];
  const objects: { line: number; value: Record<string, unknown> }[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((text, i) => {
      const parsed = parseLine(file, i + 1, text);
      if (parsed === null) return;
      if ('skip' in parsed) skipped.push(parsed.skip);
      else objects.push({ line: i + 1, value: parsed.value });
    });
  const splits = assignSplits(objects.map((o) => o.value));
  const disagreements = objects.filter(
    (o, i) => typeof o.value.split === 'string' && o.value.split !== splits[i],
  ).length;
  const rows: DatasetRow[] = [];
  objects.forEach((o, i) => {
    const row = toRow(file, o.line, o.value, splits[i], schemas);
    if ('skip' in row) skipped.push(row.skip);
    else rows.push(row);
  });
  skipped.sort((a, b) => a.line - b.line);
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    objectRows: objects.length,
    splitCounts: splitCounts(objects.length),
    splitFieldDisagreements: disagreements,
    rows,
    skipped,
  };
}

function parseLine(
  file: string,
  line: number,
  text: string,
): { value: Record<string, unknown> } | { skip: SkippedRow } | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (cause) {
    return {
      skip: {
        line,
        reason: 'not_json',
        message: `${file}:${line}: not JSON (${(cause as Error).message}); the line is skipped`,
      },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { skip: { line, reason: 'not_object', message: `${file}:${line}: not a JSON object; the line is skipped` } };
  }
  return { value: value as Record<string, unknown> };
}

function toRow(
  file: string,
  line: number,
  value: Record<string, unknown>,
  split: Split,
  schemas: SchemaRegistry,
): DatasetRow | { skip: SkippedRow } {
  const input = value.planner_input;
  if (input === undefined || input === null) {
    return {
      skip: {
        line,
        reason: 'no_planner_input',
        message: `${file}:${line}: the row has no planner_input; nothing to predict on, the row is skipped`,
      },
    };
  }
  const check = schemas.validate(SchemaIds.plannerInput, input);
  if (!check.valid) {
    const e = check.errors[0];
    const message = `${file}:${line}: planner_input is not a valid cyntra.planner_input.v1 (${e.instancePath || '/'} ${e.message}); the row is skipped`;
    return { skip: { line, reason: 'invalid_planner_input', message } };
  }
  const issueId = typeof value.issue_id === 'string' ? value.issue_id : null;
  return {
    line,
    split,
    issueId,
    input: input as PlannerInputV1,
    label: readLabelAction(value.label_action),
    bench: readBench(value.bench),
  };
}

function readBench(value: unknown): BenchCandidate[] | null {
  if (typeof value !== 'object' || value === null) return null;
  const list = (value as { candidates?: unknown }).candidates;
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.map((c) => {
    const obj = typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : {};
    return {
      action: readArrayAction(obj.action),
      rawAction: obj.action,
      verified: pyTruthy(obj.verified),
      durationMs: numberOrNull(obj.duration_ms),
      costUsd: numberOrNull(obj.cost_usd),
    };
  });
}

/** Rows of one split, or all of them. */
export function rowsOf(dataset: Dataset, split: Split | 'all'): DatasetRow[] {
  return split === 'all' ? [...dataset.rows] : dataset.rows.filter((r) => r.split === split);
}
