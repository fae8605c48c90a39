/** Test helpers: fixture inputs and sparse views of feature vectors. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/encoders/', import.meta.url));

export function loadInput(name: string): PlannerInputV1 {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}inputs/${name}.json`, 'utf8')) as PlannerInputV1;
}

export function loadJson(relPath: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}${relPath}`, 'utf8'));
}

/** Indices of non-zero entries with their values, ascending. */
export function sparse(v: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  v.forEach((x, i) => {
    if (x !== 0) out.push([i, x]);
  });
  return out;
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
