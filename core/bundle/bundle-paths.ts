/**
 * Containment: every file a bundle names must stay inside the bundle directory — no `..`, no absolute paths,
 * no symlinks that lead out.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';

/** `name` resolved inside `realDir` (which must already be a real path); throws BUNDLE_PATH_ESCAPE otherwise. */
export function resolveInside(realDir: string, name: string): string {
  const escape = (why: string): PlannerError =>
    new PlannerError(
      ErrorCodes.BUNDLE_PATH_ESCAPE,
      `bundle ${realDir}: file "${name}" ${why}; bundle files must stay inside the bundle directory`,
      {
        context: { bundle: realDir, file: name },
      },
    );
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) throw escape('is not a valid file name');
  if (isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name)) throw escape('is an absolute path');
  if (name.split(/[\\/]/).includes('..')) throw escape('climbs out with ".."');
  const lexical = join(realDir, name);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    return lexical; // does not exist (yet): lexically inside, which is all that can be said
  }
  const rel = relative(realDir, real);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep)[0] === '..')
    throw escape(`is a link to ${real}, outside the bundle`);
  return real;
}
