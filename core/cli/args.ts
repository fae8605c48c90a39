/** Argument parsing and input-file helpers shared by the commands. Usage problems throw USAGE (exit 2). */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseJsonText } from '../bundle/json-file.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { MAX_JSON_DEPTH, tooDeepAt } from '../json-depth.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type HelpOption = { help: { type: 'boolean'; short: 'h' } };
/** The parsed result, named so the declaration emit does not reach into node:util internals. */
export type CommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & HelpOption; allowPositionals: boolean; strict: true }>
>;

export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O, allowPositionals = false): CommandArgs<O> {
  try {
    const help: HelpOption = { help: { type: 'boolean', short: 'h' } };
    return parseArgs({ args: [...argv], options: { ...options, ...help }, allowPositionals, strict: true as const });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new PlannerError(ErrorCodes.USAGE, `${command}: ${message}; see \`cyntra-planner ${command} --help\``, { cause });
  }
}

export function requireOption(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new PlannerError(ErrorCodes.USAGE, `${command}: ${flag} is required; see \`cyntra-planner ${command} --help\``);
  return value;
}

export function parseNumberOption(command: string, value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new PlannerError(ErrorCodes.USAGE, `${command}: ${flag} must be a number in [${min}, ${max}], got "${value}"`);
  }
  return n;
}

/** Reads and parses a JSON input file; any problem is INPUT_INVALID (exit 2) naming the file and position. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${path}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause}); check the path`, {
      context: { file: path },
      cause,
    });
  }
  let value: unknown;
  try {
    value = parseJsonText(text, path);
  } catch (cause) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, (cause as Error).message, { context: { file: path, ...(cause as PlannerError).context }, cause });
  }
  const deep = tooDeepAt(value);
  if (deep !== null) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${path}: JSON nested deeper than ${MAX_JSON_DEPTH} levels (at ${deep.slice(0, 80)}${deep.length > 80 ? '…' : ''}); flatten the input`, {
      context: { file: path, pointer: deep.slice(0, 200) },
    });
  }
  return value;
}
