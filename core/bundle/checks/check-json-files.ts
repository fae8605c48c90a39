/** Reads, parses and schema-checks the JSON files a bundle may hold; every problem carries its JSON pointer. */
import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { SchemaIds, type SchemaRegistry } from '../../schemas.js';
import { ErrorCodes } from '../../errors.js';
import { parseJsonText } from '../json-file.js';
import { pointerSegment } from '../json-positions.js';
import { problem, problemFromError, type LintProblem } from './bundle-problem.js';
import type { ListedFiles } from './check-files.js';

/** JSON files the core parses, with the schema each must satisfy (null: parsed, checked by its plugin). */
export const BUNDLE_JSON_FILES: Readonly<Record<string, string | null>> = {
  'metadata.json': SchemaIds.modelBundle,
  'config.json': SchemaIds.bundleConfig,
  'action_space.json': SchemaIds.actionSpace,
  'calibration.json': SchemaIds.calibration,
  'vocab.json': SchemaIds.vocab,
  'metrics.json': null,
  'model.json': null,
};

export interface JsonFiles {
  readonly json: Record<string, unknown>;
  /** Raw text of each parsed file, for line:col positions. */
  readonly texts: Record<string, string>;
  readonly problems: LintProblem[];
}

export async function readJsonFiles(realDir: string, listed: ListedFiles): Promise<JsonFiles> {
  const json: Record<string, unknown> = {};
  const texts: Record<string, string> = {};
  const problems: LintProblem[] = [];
  for (const name of Object.keys(BUNDLE_JSON_FILES)) {
    if (!listed.files[name] || listed.unreadable.has(name)) continue;
    let text: string;
    try {
      text = await readFile(`${realDir}/${name}`, 'utf8');
    } catch (error) {
      problems.push(
        problem(
          'error',
          ErrorCodes.IO_FAILED,
          name,
          '',
          `${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); check its permissions`,
        ),
      );
      continue;
    }
    texts[name] = text;
    try {
      json[name] = parseJsonText(text, name);
    } catch (error) {
      const p = problemFromError(error, name);
      const ctx = (error as { context?: { line?: number; column?: number } }).context ?? {};
      problems.push({ ...p, line: ctx.line, column: ctx.column });
    }
  }
  return { json, texts, problems };
}

/** Every file's schema problems, in BUNDLE_JSON_FILES order. */
export function jsonSchemaProblems(schemas: SchemaRegistry, json: Readonly<Record<string, unknown>>): LintProblem[] {
  const out: LintProblem[] = [];
  for (const [name, id] of Object.entries(BUNDLE_JSON_FILES)) {
    if (id && name in json) out.push(...schemaProblems(schemas, id, json[name], name));
  }
  return out;
}

/** One BUNDLE_SCHEMA problem per failing location (ajv's `allErrors` repeats itself inside anyOf). */
export function schemaProblems(schemas: SchemaRegistry, id: string, value: unknown, file: string): LintProblem[] {
  const result = schemas.validate(id, value);
  const seen = new Set<string>();
  const out: LintProblem[] = [];
  for (const e of result.errors) {
    const pointer = errorPointer(e);
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    out.push(
      problem('error', ErrorCodes.BUNDLE_SCHEMA, file, pointer, `${pointer || '/'} ${describe(e)} (schema ${id})`),
    );
  }
  return out;
}

function errorPointer(e: ErrorObject): string {
  const extra =
    e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: string }).additionalProperty : undefined;
  return extra === undefined ? e.instancePath : `${e.instancePath}/${pointerSegment(extra)}`;
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'is not allowed here';
  if (e.keyword === 'enum' || e.keyword === 'const')
    return `${e.message}: ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)}`;
  return e.message ?? 'is invalid';
}
