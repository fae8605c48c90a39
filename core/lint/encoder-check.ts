/**
 * The encoder check the loader makes when it builds the encoder (`createEncoderForBundle`), done offline: a bundle
 * whose encoder is features.v1 must declare d_in 3779. Without it, a bundle that lints clean could still be refused
 * at load with ENCODER_DIM_MISMATCH.
 */
import { problemFromError, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { createFeaturesEncoder } from '../encoders/features-encoder.js';
import { selectEncoderKind } from '../encoders/select-encoder.js';

export function encoderProblems(
  json: Readonly<Record<string, unknown>>,
  files: Readonly<Record<string, unknown>>,
): LintProblem[] {
  const config = json['config.json'];
  if (typeof config !== 'object' || config === null) return [];
  let kind;
  try {
    kind = selectEncoderKind({ config: config as { encoder?: unknown }, files });
  } catch {
    return []; // an unknown encoder name is the config schema's problem, reported there
  }
  const dIn = (config as { d_in?: unknown }).d_in;
  if (kind !== 'features.v1' || typeof dIn !== 'number') return [];
  try {
    createFeaturesEncoder({ dIn, dInSource: 'config.json d_in' }); // the loader's own width check (ENCODER_DIM_MISMATCH)
    return [];
  } catch (error) {
    return [problemFromError(error, 'config.json', '/d_in')];
  }
}
