/**
 * Problems the bundle checks find. The loader and `lint` run the same checks: lint reports every problem, the loader
 * throws the first error as a PlannerError with the same code (so the two agree by construction).
 */
import type { LintProblem } from '../../backend/plugin.js';
import { ErrorCodes, PlannerError, isErrorCode, type ErrorCode } from '../../errors.js';

export type { LintProblem } from '../../backend/plugin.js';

export function problem(
  severity: LintProblem['severity'],
  code: ErrorCode,
  file: string,
  pointer: string,
  message: string,
): LintProblem {
  return { severity, code, file, pointer, message };
}

/** A thrown error as a problem: PlannerErrors keep their code and `context.pointer`. */
export function problemFromError(error: unknown, file: string, pointer = ''): LintProblem {
  if (error instanceof PlannerError) {
    const p = typeof error.context.pointer === 'string' ? error.context.pointer : pointer;
    return problem('error', error.code, file, p, error.message);
  }
  return problem('error', ErrorCodes.INTERNAL, file, pointer, error instanceof Error ? error.message : String(error));
}

export function firstError(problems: readonly LintProblem[]): LintProblem | undefined {
  return problems.find((p) => p.severity === 'error');
}

/**
 * The loader's error for a problem: same code (a third-party backend's own code becomes BUNDLE_CHECK_FAILED, kept in
 * `context.problemCode`), message naming the bundle, file and pointer.
 */
export function errorFromProblem(dir: string, p: LintProblem): PlannerError {
  const where = p.file
    ? `${dir}/${p.file}${p.line ? `:${p.line}:${p.column}` : ''}${p.pointer ? ` at ${p.pointer}` : ''}`
    : dir;
  const message = p.message.startsWith(dir) ? p.message : `${where}: ${p.message}`;
  const code = isErrorCode(p.code) ? p.code : ErrorCodes.BUNDLE_CHECK_FAILED;
  const problemCode = code === p.code ? {} : { problemCode: p.code };
  return new PlannerError(code, message, {
    context: { bundle: dir, file: p.file, pointer: p.pointer, line: p.line, column: p.column, ...problemCode },
  });
}
