/**
 * Loads `.cyntra/config.yaml`: YAML with positions, validated against `schemas/kernel-config.schema.json`. Every
 * error names file:line:col and the key path; unknown keys become warnings with a suggestion. A missing file means
 * defaults (only when the file was not asked for explicitly).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { LineCounter, isMap, isNode, parseDocument, type Document } from 'yaml';
import { ErrorCodes, PlannerError, type ErrorCode } from '../errors.js';
import { SchemaRegistry, loadShippedSchemas } from '../schemas.js';
import type { ConfigWarning, KernelConfig } from './kernel-config-types.js';
import { resolveKernelConfig } from './resolve-config.js';
import { findUnknownKeys } from './unknown-keys.js';

export const KERNEL_CONFIG_SCHEMA_ID = 'https://cyntra-planner/schemas/kernel-config.json';
export const DEFAULT_CONFIG_FILE = '.cyntra/config.yaml';

export interface LoadedKernelConfig {
  readonly config: KernelConfig;
  readonly warnings: readonly ConfigWarning[];
}

export interface LoadConfigOptions {
  readonly cwd: string;
  /** Explicit `--config`: a missing file is an error. Undefined: `.cyntra/config.yaml` if present, else defaults. */
  readonly file?: string;
  readonly schemas?: SchemaRegistry;
}

export function loadKernelConfig(opts: LoadConfigOptions): LoadedKernelConfig {
  const file = opts.file !== undefined ? resolve(opts.cwd, opts.file) : resolve(opts.cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (opts.file !== undefined) {
      throw new PlannerError(ErrorCodes.CONFIG_INVALID, `${file}:1:1: config file not found; check --config`, {
        context: { file, line: 1, col: 1 },
      });
    }
    return { config: resolveKernelConfig({}, null, opts.cwd), warnings: [] };
  }
  return parseKernelConfig(readFileSync(file, 'utf8'), file, opts.cwd, opts.schemas);
}

/** Parses and validates config text; `file` names it in messages and anchors relative paths. */
export function parseKernelConfig(
  text: string,
  file: string,
  cwd: string,
  schemas = new SchemaRegistry(),
): LoadedKernelConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw configError(ErrorCodes.CONFIG_PARSE, file, pos, '', `YAML syntax: ${e.message.split('\n')[0]}`);
  }
  const raw = toPlain(doc, file) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw configError(ErrorCodes.CONFIG_INVALID, file, { line: 1, col: 1 }, '', 'the config must be a mapping');
  const infinite = findNonFinite(raw);
  if (infinite !== null)
    throw configError(
      ErrorCodes.CONFIG_INVALID,
      file,
      positionOf(doc, lines, infinite),
      infinite.join('.'),
      'must be a finite number (.inf and .nan are not allowed)',
    );
  const result = schemas.validate(KERNEL_CONFIG_SCHEMA_ID, raw);
  if (!result.valid) {
    const err = pickError(result.errors);
    const path = pointerToPath(err.instancePath);
    throw configError(ErrorCodes.CONFIG_INVALID, file, positionOf(doc, lines, path), path.join('.'), describe(err));
  }
  const schema = loadShippedSchemas().find((s) => s.$id === KERNEL_CONFIG_SCHEMA_ID) ?? {};
  const warnings = findUnknownKeys(raw, schema).map((u): ConfigWarning => {
    const pos = positionOf(doc, lines, u.path, true);
    const keyPath = u.path.join('.');
    const hint = u.suggestion
      ? `; did you mean "${[...u.path.slice(0, -1), u.suggestion].join('.')}"?`
      : '; it is ignored';
    return {
      keyPath,
      line: pos.line,
      col: pos.col,
      message: `${file}:${pos.line}:${pos.col}: unknown key "${keyPath}"${hint}`,
    };
  });
  const positions = { of: (keyPath: readonly string[], key = false) => positionOf(doc, lines, keyPath, key) };
  return { config: { ...resolveKernelConfig(raw as Record<string, unknown>, file, cwd), positions }, warnings };
}

/** The document as plain data; an alias bomb (more alias expansions than `MAX_ALIASES`) is a CONFIG_PARSE error. */
function toPlain(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    throw configError(
      ErrorCodes.CONFIG_PARSE,
      file,
      { line: 1, col: 1 },
      '',
      `YAML aliases expand too far (${(cause as Error).message}); a config needs at most ${MAX_ALIASES} alias expansions, write the values out`,
      cause,
    );
  }
}

const MAX_ALIASES = 100;

/** Key path of the first number that is not finite (YAML's .inf, -.inf, .nan), or null. */
function findNonFinite(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findNonFinite(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

export function configError(
  code: ErrorCode,
  file: string,
  pos: { line: number; col: number },
  keyPath: string,
  what: string,
  cause?: unknown,
): PlannerError {
  const where = keyPath ? `${keyPath}: ` : '';
  return new PlannerError(code, `${file}:${pos.line}:${pos.col}: ${where}${what}`, {
    context: { file, line: pos.line, col: pos.col, keyPath },
    cause,
  });
}

/** The most specific error: `anyOf` wrappers say less than their branches' first error. */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'anyOf') ?? errors[0];
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'enum')
    return `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (e.keyword === 'pattern' && (e.params as { pattern: string }).pattern.includes('u0000'))
    return 'must not contain a NUL byte';
  if (e.keyword === 'required') return `missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  return e.message ?? 'is invalid';
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** 1-based line/col of the value (or, with `key`, the key) at `path`; the nearest existing ancestor otherwise. */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly string[],
  key = false,
): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const offset = key && n === path.length ? keyOffset(doc, sub) : valueOffset(doc, sub);
    if (offset !== null) return lines.linePos(offset);
  }
  return { line: 1, col: 1 };
}

function valueOffset(doc: Document, path: readonly (string | number)[]): number | null {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(node) && node.range ? node.range[0] : null;
}

function keyOffset(doc: Document, path: readonly (string | number)[]): number | null {
  const parent = path.length <= 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return null;
  const pair = parent.items.find(
    (p) => (isNode(p.key) ? (p.key as { value?: unknown }).value : p.key) === path[path.length - 1],
  );
  return pair && isNode(pair.key) && pair.key.range ? pair.key.range[0] : null;
}
