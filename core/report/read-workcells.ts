/**
 * Reads every workcell of a directory for `report`: `<dir>/<workcell>/manifest.json` and, when present, its
 * `run-summary.json`. A manifest that is truncated, from another schema, invalid or unreadable is classified and
 * listed, never fatal. A missing or empty directory is an error naming it (exit 2).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';
import { MANIFEST_SCHEMA_ID, MANIFEST_SCHEMA_VERSION, type WorkcellManifest } from '../kernel/dispatcher.js';
import { SchemaRegistry, formatError } from '../schemas.js';
import type { ReloadEvent, SkippedManifest } from './report-types.js';

export interface WorkcellEntry {
  readonly manifest: WorkcellManifest;
  /** `runtime.cost_usd_est` of the run summary, when it recorded one. */
  readonly costUsd: number | null;
}

export interface WorkcellScan {
  readonly found: number;
  readonly entries: readonly WorkcellEntry[];
  readonly skipped: readonly SkippedManifest[];
  readonly beforeSince: number;
  readonly reloads: readonly ReloadEvent[];
}

export function scanWorkcells(
  dir: string,
  opts: { sinceMs?: number | null; schemas?: SchemaRegistry } = {},
): WorkcellScan {
  const files = manifestFiles(dir);
  const schemas = opts.schemas ?? new SchemaRegistry();
  const entries: WorkcellEntry[] = [];
  const skipped: SkippedManifest[] = [];
  let beforeSince = 0;
  for (const file of files) {
    const read = readManifest(file, schemas);
    if ('kind' in read) {
      skipped.push(read);
      continue;
    }
    if (opts.sinceMs !== undefined && opts.sinceMs !== null && Date.parse(read.created_at) < opts.sinceMs) {
      beforeSince++;
      continue;
    }
    entries.push({ manifest: read, costUsd: costOf(join(file, '..', 'run-summary.json')) });
  }
  return {
    found: files.length,
    entries,
    skipped,
    beforeSince,
    reloads: readReloads(join(dir, 'planner-reloads.jsonl'), opts.sinceMs ?? null),
  };
}

/** The kernel's reload log (one JSON object a line); unparseable lines are left out. */
function readReloads(file: string, sinceMs: number | null): ReloadEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: ReloadEvent[] = [];
  for (const line of text.split('\n')) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o.at !== 'string' || typeof o.result !== 'string' || (sinceMs !== null && Date.parse(o.at) < sinceMs))
        continue;
      const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
      events.push({
        at: o.at,
        trigger: String(o.trigger ?? ''),
        result: o.result,
        digest: str(o.digest),
        reason: str(o.reason),
      });
    } catch {
      /* a torn or foreign line */
    }
  }
  return events;
}

/** `<dir>/*\/manifest.json`, sorted; throws WORKCELLS_NOT_FOUND / WORKCELLS_EMPTY naming the directory. */
function manifestFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).sort();
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.WORKCELLS_NOT_FOUND,
      `workcells directory ${dir} cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); pass the kernel.workcells directory of a run`,
      {
        context: { dir },
        cause,
      },
    );
  }
  const files = names.map((n) => join(dir, n, 'manifest.json')).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new PlannerError(
      ErrorCodes.WORKCELLS_EMPTY,
      `workcells directory ${dir} holds no <workcell>/manifest.json; run \`cyntra-planner run\` first or pass the right directory`,
      {
        context: { dir },
      },
    );
  }
  return files;
}

function readManifest(file: string, schemas: SchemaRegistry): WorkcellManifest | SkippedManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    return { file, kind: 'unreadable', detail: (cause as NodeJS.ErrnoException).code ?? String(cause) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { file, kind: looksTruncated(text) ? 'truncated' : 'unreadable', detail: (cause as Error).message };
  }
  const version = (value as { schema_version?: unknown } | null)?.schema_version;
  if (version !== MANIFEST_SCHEMA_VERSION)
    return {
      file,
      kind: 'foreign_schema',
      detail: `schema_version ${JSON.stringify(version ?? null)}, expected ${MANIFEST_SCHEMA_VERSION}`,
    };
  const result = schemas.validate(MANIFEST_SCHEMA_ID, value);
  if (!result.valid) return { file, kind: 'invalid', detail: formatError(result.errors[0]) };
  return value as WorkcellManifest;
}

/** Unparseable text that opens more brackets than it closes (or ends inside a string): cut short, not garbled. */
export function looksTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return text.trim().length === 0 || inString || depth > 0;
}

function costOf(file: string): number | null {
  try {
    const summary = JSON.parse(readFileSync(file, 'utf8')) as { runtime?: { cost_usd_est?: unknown } };
    const cost = summary.runtime?.cost_usd_est;
    return typeof cost === 'number' && Number.isFinite(cost) ? cost : null;
  } catch {
    return null;
  }
}
