/**
 * The CLI's one map from an error to its exit code: the error catalogue's class (core/error-catalogue.ts), `usage` 2
 * (bad usage or a bad input file), `failure` 1 (a failed operation, and anything that is not a PlannerError).
 */
import { PlannerError, exitClassOf } from '../errors.js';
import { EXIT_FAILED, EXIT_USAGE } from './command.js';
import { escapeControl } from '../escape-text.js';

export function exitCodeFor(error: unknown): number {
  return error instanceof PlannerError && exitClassOf(error.code) === 'usage' ? EXIT_USAGE : EXIT_FAILED;
}

/** The one-line message the CLI prints: `cyntra-planner: CODE: message` (control characters escaped). */
export function errorLine(error: unknown): string {
  if (error instanceof PlannerError)
    return `cyntra-planner: ${escapeControl(error.code)}: ${escapeControl(error.message.split('\n')[0])}`;
  return `cyntra-planner: ${escapeControl(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`;
}
