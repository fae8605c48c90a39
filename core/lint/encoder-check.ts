/**
 * The encoder check the loader makes when it builds the encoder (`createEncoderForBundle`), done offline: a bundle
 * whose encoder is features.v1 must declare d_in 3779. Without it, a bundle that lints clean could still be refused
 * at load with ENCODER_DIM_MISMATCH.
 */
import { problem, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { FEATURES_V1_DIM } from '../encoders/features-layout.js';
import { selectEncoderKind } from '../encoders/select-encoder.js';
import { ErrorCodes } from '../errors.js';

export function encoderProblems(json: Readonly<Record<string, unknown>>, files: Readonly<Record<string, unknown>>): LintProblem[] {
  const config = json['config.json'];
  if (typeof config !== 'object' || config === null) return [];
  let kind;
  try {
    kind = selectEncoderKind({ config: config as { encoder?: unknown }, files });
  } catch {
    return []; // an unknown encoder name is the config schema's problem, reported there
  }
  const dIn = (config as { d_in?: unknown }).d_in;
  if (kind !== 'features.v1' || typeof dIn !== 'number' || dIn === FEATURES_V1_DIM) return [];
  const message = `d_in is ${dIn}, but features.v1 produces ${FEATURES_V1_DIM} features; the loader refuses this bundle. Use a model trained on features.v1 (docs/features-v1.md) or declare the encoder it was trained with`;
  return [problem('error', ErrorCodes.ENCODER_DIM_MISMATCH, 'config.json', '/d_in', message)];
}
