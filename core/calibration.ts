/**
 * Temperature calibration, per head. Reads both key styles:
 * the spec's `{"temperature": {"swarm","candidates","minutes","iterations"}}` and the Python planner's
 * `{"temperatures": {"swarm_id","max_candidates_bin","max_minutes_bin","max_iterations_bin"}}`. Missing heads are 1.0.
 */
import { HEAD_NAMES, PYTHON_HEAD_KEYS, type HeadName } from './action.js';
import { ErrorCodes, PlannerError } from './errors.js';

export type Temperatures = Readonly<Record<HeadName, number>>;

export const UNIT_TEMPERATURES: Temperatures = { swarm: 1, candidates: 1, minutes: 1, iterations: 1 };

/** The Python planner floors temperatures at 1e-6; so do we. */
const MIN_TEMPERATURE = 1e-6;

export function parseCalibration(value: unknown, where: string): Temperatures {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidCalibration(where, '', 'calibration must be a JSON object');
  }
  const obj = value as Record<string, unknown>;
  if (obj.method !== undefined && obj.method !== 'temperature_scaling') {
    throw invalidCalibration(
      where,
      '/method',
      `unsupported calibration method ${JSON.stringify(obj.method)}; only "temperature_scaling" is known`,
    );
  }
  const spec = obj.temperature;
  const python = obj.temperatures;
  if (spec !== undefined && python !== undefined) {
    throw invalidCalibration(where, '', 'both "temperature" and "temperatures" are present; keep one key style');
  }
  const table = spec ?? python;
  if (table === undefined) return UNIT_TEMPERATURES;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw invalidCalibration(
      where,
      spec !== undefined ? '/temperature' : '/temperatures',
      'must be an object of numbers',
    );
  }
  const pointer = spec !== undefined ? '/temperature' : '/temperatures';
  const out = {} as Record<HeadName, number>;
  for (const head of HEAD_NAMES) {
    const key = spec !== undefined ? head : PYTHON_HEAD_KEYS[head];
    const raw = (table as Record<string, unknown>)[key];
    if (raw === undefined) out[head] = 1;
    else if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) out[head] = Math.max(MIN_TEMPERATURE, raw);
    else
      throw invalidCalibration(
        where,
        `${pointer}/${key}`,
        `temperature must be a positive finite number, got ${JSON.stringify(raw)}`,
      );
  }
  return out;
}

function invalidCalibration(file: string, pointer: string, message: string): PlannerError {
  return new PlannerError(ErrorCodes.CALIBRATION_INVALID, `${file}${pointer ? ` at ${pointer}` : ''}: ${message}`, {
    context: { file, pointer },
  });
}
