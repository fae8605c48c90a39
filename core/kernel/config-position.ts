/**
 * Config errors found after loading (a plugin that does not load, a force_swarm outside the action space...) point
 * at the key's file:line:col like the loader's own errors, using the positions kept from parsing the file at load.
 */
import { ErrorCodes, PlannerError } from '../errors.js';
import type { KernelConfig } from './kernel-config-types.js';
import { configError } from './load-config.js';

/** A CONFIG_INVALID error `file:line:col: key.path: what`; without a file (built-in defaults) `key.path: what`. */
export function configErrorAt(
  config: Pick<KernelConfig, 'file' | 'positions'>,
  keyPath: readonly string[],
  what: string,
  cause?: unknown,
): PlannerError {
  const { file, positions } = config;
  if (file === null) {
    return new PlannerError(ErrorCodes.CONFIG_INVALID, `${keyPath.join('.')}: ${what}`, {
      context: { file: null, keyPath: keyPath.join('.') },
      cause,
    });
  }
  return configError(
    ErrorCodes.CONFIG_INVALID,
    file,
    positions?.of(keyPath) ?? { line: 1, col: 1 },
    keyPath.join('.'),
    what,
    cause,
  );
}
