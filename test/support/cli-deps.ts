/** What main.ts hands a command, for tests that run a command directly: the built-in registry and converter. */
import type { BackendRegistry } from '../../core/backend/registry.js';
import type { CommandDeps } from '../../core/cli/command.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { convertBundle } from '../../plugins/tfjs/convert.js';

export function cliDeps(registry: BackendRegistry = createDefaultRegistry()): CommandDeps {
  return { registry, convertBundle };
}
