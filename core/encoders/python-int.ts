/**
 * The run sort key of the Python tokenizer, `(-int(started_ms or 0), str(run_id or ""))`, with Python semantics:
 * falsy values give 0 / "", bools count (True = 1), floats truncate toward zero, numeric strings parse (surrounding
 * whitespace and `_` digit separators allowed). What Python would reject raises PlannerError(ENCODER_INVALID_INPUT).
 */
import { pythonNumber } from '../canonical-json.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { pyStrip } from './python-strip.js';

const INT_TEXT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;

/** Python `int(x or 0)` as a BigInt (Python ints are unbounded). `where` names the field for the error. */
export function pyIntOrZero(x: unknown, where: string): bigint {
  if (x === null || x === undefined || x === false || x === 0 || x === '') return 0n;
  if (x === true) return 1n;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw invalid(where, `is ${String(x)}; Python int() rejects it`);
    return BigInt(Math.trunc(x));
  }
  if (typeof x === 'bigint') return x;
  if (typeof x === 'string') {
    const s = pyStrip(x);
    if (!INT_TEXT.test(s)) throw invalid(where, `is the string ${JSON.stringify(x.slice(0, 40))}, not an integer`);
    return BigInt(s.replace(/_/g, ''));
  }
  if (Array.isArray(x) && x.length === 0) return 0n;
  if (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0) return 0n;
  throw invalid(where, `is a ${Array.isArray(x) ? 'list' : typeof x}, not an integer`);
}

/** Python `str(x or "")` for JSON scalars; empty lists/objects are falsy → "". Non-empty lists and objects are refused. */
export function pyStrOrEmpty(x: unknown, where: string): string {
  if (x === null || x === undefined || x === false || x === 0 || x === '') return '';
  if (typeof x === 'string') return x;
  if (x === true) return 'True';
  if (typeof x === 'number') return pythonNumber(x) === 'NaN' ? 'nan' : pythonNumber(x).replace('Infinity', 'inf');
  if (typeof x === 'bigint') return x.toString();
  if (Array.isArray(x) && x.length === 0) return '';
  if (typeof x === 'object' && Object.keys(x as object).length === 0) return '';
  throw invalid(
    where,
    `is a non-empty ${Array.isArray(x) ? 'list' : typeof x} (its Python repr is not reproduced); use a string`,
  );
}

function invalid(where: string, what: string): PlannerError {
  return new PlannerError(ErrorCodes.ENCODER_INVALID_INPUT, `${where} ${what}. Fix the planner input.`, {
    context: { keyPath: where },
  });
}
