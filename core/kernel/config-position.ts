/**
 * Config errors found after loading (a plugin that does not load, a force_swarm outside the action space...) point
 * at the key's file:line:col like the loader's own errors: the file is parsed again to find the position.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ErrorCodes, PlannerError } from '../errors.js';
import { configError, positionOf } from './load-config.js';

/** 1-based position of the value at `keyPath` in `file`; 1:1 when the file cannot be read again or lacks the key. */
export function positionInFile(file: string, keyPath: readonly string[]): { line: number; col: number } {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
    return positionOf(doc, lines, keyPath);
  } catch {
    return { line: 1, col: 1 };
  }
}

/** A CONFIG_INVALID error `file:line:col: key.path: what`; without a file (built-in defaults) `key.path: what`. */
export function configErrorAt(file: string | null, keyPath: readonly string[], what: string, cause?: unknown): PlannerError {
  if (file === null) {
    return new PlannerError(ErrorCodes.CONFIG_INVALID, `${keyPath.join('.')}: ${what}`, { context: { file: null, keyPath: keyPath.join('.') }, cause });
  }
  return configError(ErrorCodes.CONFIG_INVALID, file, positionInFile(file, keyPath), keyPath.join('.'), what, cause);
}
