/** calibration.json: optional (a warning when absent), either key style, one positive temperature per known head. */
import { parseCalibration, type Temperatures } from '../../calibration.js';
import { problem, problemFromError, type LintProblem } from './bundle-problem.js';
import { ErrorCodes } from '../../errors.js';

export interface CalibrationCheck {
  readonly calibration: Temperatures | null;
  readonly problems: LintProblem[];
}

/** `schemaFailed`: calibration.json already has schema problems (reported once, not again as CALIBRATION_INVALID). */
export function checkCalibration(
  json: Readonly<Record<string, unknown>>,
  present: boolean,
  schemaFailed = false,
): CalibrationCheck {
  if (schemaFailed) return { calibration: null, problems: [] };
  if (!('calibration.json' in json)) {
    if (present) return { calibration: null, problems: [] }; // unreadable: already reported
    const message = 'no calibration.json: temperatures default to 1.0 (uncalibrated confidences); add one';
    return {
      calibration: null,
      problems: [problem('warning', ErrorCodes.CALIBRATION_MISSING, 'calibration.json', '', message)],
    };
  }
  try {
    return { calibration: parseCalibration(json['calibration.json'], 'calibration.json'), problems: [] };
  } catch (error) {
    return { calibration: null, problems: [problemFromError(error, 'calibration.json')] };
  }
}
