/**
 * The JSON Schemas of `schemas/` (and those plugins contribute), compiled once each by one ajv instance per registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ErrorCodes, PlannerError } from './errors.js';
import { schemasDir } from './paths.js';

// ajv-formats ships CommonJS; its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SchemaIds = {
  plannerInput: 'https://cyntra/schemas/cyntra/planner_input.schema.json',
  plannerAction: 'https://cyntra/schemas/cyntra/planner_action.schema.json',
  executedPlan: 'https://cyntra/schemas/cyntra/executed_plan.schema.json',
  actionSpace: 'https://cyntra-planner/schemas/action-space.json',
  calibration: 'https://cyntra-planner/schemas/calibration.json',
  bundleConfig: 'https://cyntra-planner/schemas/bundle-config.json',
  vocab: 'https://cyntra-planner/schemas/vocab.json',
  modelBundle: 'https://cyntra-planner/schemas/model-bundle.json',
} as const;

export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: readonly ErrorObject[];
}

export class SchemaRegistry {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: readonly Record<string, unknown>[] = loadShippedSchemas()) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    for (const s of schemas) this.add(s);
  }

  /** Adds a schema (it must have `$id`); adding the same `$id` again is a no-op. */
  add(schema: Readonly<Record<string, unknown>>): void {
    const id = schema.$id;
    if (typeof id !== 'string')
      throw new PlannerError(
        ErrorCodes.PLUGIN_INVALID,
        'a JSON Schema without "$id" cannot be registered; give it a unique $id',
      );
    if (!this.ajv.getSchema(id)) this.ajv.addSchema(schema as Record<string, unknown>, id);
  }

  has(id: string): boolean {
    return this.ajv.getSchema(id) !== undefined;
  }

  /** Compiles the schemas now (ajv compiles on first use), e.g. before a time-budgeted phase starts. */
  compile(ids: readonly string[]): void {
    for (const id of ids) this.validator(id);
  }

  validate(id: string, value: unknown): ValidationResult {
    const fn = this.validator(id);
    const valid = fn(value) as boolean;
    return { valid, errors: valid ? [] : [...(fn.errors ?? [])] };
  }

  /** Throws RECORD_INVALID naming `where` and the first failing JSON pointer. */
  assertValid(id: string, value: unknown, where: string): void {
    const result = this.validate(id, value);
    if (!result.valid) {
      const first = result.errors[0];
      throw new PlannerError(
        ErrorCodes.RECORD_INVALID,
        `${where}: ${first.instancePath || '/'} ${first.message} (schema ${id})`,
        {
          context: { where, pointer: first.instancePath, schema: id, errors: result.errors.map(formatError) },
        },
      );
    }
  }

  private validator(id: string): ValidateFunction {
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.ajv.getSchema(id);
      if (!fn)
        throw new PlannerError(ErrorCodes.RECORD_INVALID, `no JSON Schema registered with $id ${id}`, {
          context: { schema: id },
        });
      this.compiled.set(id, fn);
    }
    return fn;
  }
}

export function formatError(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
}

export function createSchemaRegistry(): SchemaRegistry {
  return new SchemaRegistry();
}

let shipped: Record<string, unknown>[] | null = null;

/** Every `schemas/*.schema.json`, read once per process (the files are immutable package data). */
export function loadShippedSchemas(): Record<string, unknown>[] {
  if (!shipped) {
    const dir = schemasDir();
    shipped = readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
  }
  return shipped;
}
