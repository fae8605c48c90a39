/** Argument parsing and input-file helpers shared by the commands. Usage problems throw USAGE (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseJsonText } from '../bundle/json-file.js';
import { readInputFile } from '../read-input-file.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { MAX_JSON_DEPTH, nonFiniteAt, tooDeepAt } from '../json-depth.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type HelpOption = { help: { type: 'boolean'; short: 'h' } };
/** The parsed result, named so the declaration emit does not reach into node:util internals. */
export type CommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & HelpOption; allowPositionals: boolean; strict: true }>
>;

export function parseCommandArgs<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals = false,
): CommandArgs<O> {
  try {
    const help: HelpOption = { help: { type: 'boolean', short: 'h' } };
    return parseArgs({ args: [...argv], options: { ...options, ...help }, allowPositionals, strict: true as const });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new PlannerError(ErrorCodes.USAGE, `${command}: ${message}; see \`cyntra-planner ${command} --help\``, {
      cause,
    });
  }
}

export function requireOption(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '')
    throw new PlannerError(
      ErrorCodes.USAGE,
      `${command}: ${flag} is required; see \`cyntra-planner ${command} --help\``,
    );
  return value;
}

/** A plain decimal number: `0.6`, `.5`, `1e-3`, `100`. Not `""`, ` 1`, `0x10`, `0b1`, `1_000`, `Infinity`, `NaN`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A numeric option, strictly: decimal notation only (Number() would take `""` as 0 and `0x10` as 16), within
 * [min, max], and a whole number when `integer` is set.
 */
export function parseNumberOption(
  command: string,
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const what = integer ? 'a whole number' : 'a decimal number';
    throw new PlannerError(
      ErrorCodes.USAGE,
      `${command}: ${flag} must be ${what} in [${min}, ${max}], got "${value}"; see \`cyntra-planner ${command} --help\``,
    );
  }
  return n;
}

/** Reads and parses a JSON input file; any problem is INPUT_INVALID (exit 2) naming the file and position. */
export function readJsonFile(path: string): unknown {
  const text = readInputFile(path);
  let value: unknown;
  try {
    value = parseJsonText(text, path);
  } catch (cause) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, (cause as Error).message, {
      context: { file: path, ...(cause as PlannerError).context },
      cause,
    });
  }
  const deep = tooDeepAt(value);
  if (deep !== null) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: JSON nested deeper than ${MAX_JSON_DEPTH} levels (at ${deep.slice(0, 80)}${deep.length > 80 ? '…' : ''}); flatten the input`,
      {
        context: { file: path, pointer: deep.slice(0, 200) },
      },
    );
  }
  const huge = nonFiniteAt(value);
  if (huge !== null) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: the number at ${huge.slice(0, 80)} is too large for a double (it would read as Infinity); use a finite value`,
      {
        context: { file: path, pointer: huge.slice(0, 200) },
      },
    );
  }
  return value;
}
