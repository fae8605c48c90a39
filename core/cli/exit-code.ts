/** Maps an error to the CLI's exit code: 2 for bad usage or bad input files, 1 for a failed operation. */
import { ErrorCodes, PlannerError } from '../errors.js';
import { EXIT_FAILED, EXIT_USAGE } from './command.js';
import { escapeControl } from '../escape-text.js';

const USAGE_CODES = new Set<string>([
  ErrorCodes.USAGE,
  ErrorCodes.INPUT_INVALID,
  ErrorCodes.CONFIG_INVALID,
  ErrorCodes.CONFIG_PARSE,
  ErrorCodes.BUNDLE_NOT_FOUND,
  ErrorCodes.BUNDLE_JSON_INVALID,
  ErrorCodes.BUNDLE_SCHEMA,
  ErrorCodes.BUNDLE_FILE_MISSING,
  ErrorCodes.ACTION_SPACE_INVALID,
  ErrorCodes.CALIBRATION_INVALID,
  ErrorCodes.RECORD_INVALID,
]);

export function exitCodeFor(error: unknown): number {
  return error instanceof PlannerError && USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILED;
}

/** The one-line message the CLI prints: `cyntra-planner: CODE: message` (control characters escaped). */
export function errorLine(error: unknown): string {
  if (error instanceof PlannerError) return `cyntra-planner: ${escapeControl(error.code)}: ${escapeControl(error.message.split('\n')[0])}`;
  return `cyntra-planner: ${escapeControl(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`;
}
