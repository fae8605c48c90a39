/**
 * Problems the bundle checks find. The loader and `lint` run the same checks: lint reports every problem, the loader
 * throws the first error as a PlannerError with the same code (so the two agree by construction).
 */
import type { LintProblem } from '../../backend/plugin.js';
import { PlannerError } from '../../errors.js';

export type { LintProblem } from '../../backend/plugin.js';

/** Codes only the bundle checks raise (the rest come from ErrorCodes). */
export const CheckCodes = {
  /** warning: no metadata.json, so no provenance and no checksums. */
  METADATA_MISSING: 'BUNDLE_METADATA_MISSING',
  /** warning: metadata.json lists no per-file sha256. */
  CHECKSUMS_MISSING: 'BUNDLE_CHECKSUMS_MISSING',
  /** warning: no calibration.json (temperatures default to 1). */
  CALIBRATION_MISSING: 'CALIBRATION_MISSING',
  /** error: the bundle digest is not the expected one / not on the allow-list. */
  UNTRUSTED: 'BUNDLE_UNTRUSTED',
  /** error: a swarm id of the action space is not in the given universe. */
  SWARM_UNKNOWN: 'SWARM_UNKNOWN',
  /** warning: neither metadata, config nor files say which backend the bundle is for (lint without a registry). */
  BACKEND_UNDETERMINED: 'BUNDLE_BACKEND_UNDETERMINED',
  /** error: no registered backend can serve the bundle (no model file, or model.onnx is a directory or a FIFO). */
  MODEL_MISSING: 'BUNDLE_MODEL_MISSING',
} as const;

export function problem(severity: LintProblem['severity'], code: string, file: string, pointer: string, message: string): LintProblem {
  return { severity, code, file, pointer, message };
}

/** A thrown error as a problem: PlannerErrors keep their code and `context.pointer`. */
export function problemFromError(error: unknown, file: string, pointer = ''): LintProblem {
  if (error instanceof PlannerError) {
    const p = typeof error.context.pointer === 'string' ? error.context.pointer : pointer;
    return problem('error', error.code, file, p, error.message);
  }
  return problem('error', 'INTERNAL', file, pointer, error instanceof Error ? error.message : String(error));
}

export function firstError(problems: readonly LintProblem[]): LintProblem | undefined {
  return problems.find((p) => p.severity === 'error');
}

/** The loader's error for a problem: same code, message naming the bundle, file and pointer. */
export function errorFromProblem(dir: string, p: LintProblem): PlannerError {
  const where = p.file ? `${dir}/${p.file}${p.line ? `:${p.line}:${p.column}` : ''}${p.pointer ? ` at ${p.pointer}` : ''}` : dir;
  const message = p.message.startsWith(dir) ? p.message : `${where}: ${p.message}`;
  return new PlannerError(p.code, message, { context: { bundle: dir, file: p.file, pointer: p.pointer, line: p.line, column: p.column } });
}
