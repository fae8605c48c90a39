/** Finds keys the kernel config schema does not know, walking the data alongside the schema's `properties`. */
import { didYouMean } from './did-you-mean.js';

export interface UnknownKey {
  readonly path: readonly string[];
  readonly suggestion: string | null;
}

type SchemaNode = { properties?: Record<string, SchemaNode>; additionalProperties?: unknown };

export function findUnknownKeys(value: unknown, schema: SchemaNode, path: readonly string[] = []): UnknownKey[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !schema.properties) return [];
  const known = Object.keys(schema.properties);
  const found: UnknownKey[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const sub = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined; // not `constructor`, `toString`...
    if (sub) found.push(...findUnknownKeys(child, sub, [...path, key]));
    else found.push({ path: [...path, key], suggestion: didYouMean(key, known) });
  }
  return found;
}
