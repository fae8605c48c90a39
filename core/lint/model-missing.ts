/**
 * When nothing says which backend a bundle is for, lint does what `model.type: auto` does: the first registered
 * bundle backend (by priority) whose bundle schema fits claims it. When none does, the loader has nothing to serve,
 * so this is an error (BUNDLE_MODEL_MISSING), not a warning: the message names the model files the built-in
 * backends read and says when one of them exists but is a directory, a FIFO or another non-regular file.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendPlugin } from '../backend/plugin.js';
import type { BackendRegistry } from '../backend/registry.js';
import { ErrorCodes } from '../errors.js';
import { problem, type LintProblem } from '../bundle/checks/bundle-problem.js';
import type { SchemaRegistry } from '../schemas.js';

export const MODEL_FILES = ['model.onnx', 'planner.onnx', 'model.pt', 'model.json'] as const;

/** The first bundle backend, by priority, whose bundleSchema accepts the bundle view (as `auto` tries them). */
export function claimingBackend(
  registry: BackendRegistry,
  schemas: SchemaRegistry,
  view: { files: unknown; json: unknown },
): BackendPlugin | null {
  for (const plugin of registry.list()) {
    if (!plugin.needsBundle) continue;
    const schema = plugin.bundleSchema as Record<string, unknown> | undefined;
    if (!schema) return plugin; // no schema: `auto` would go on to createSession with it
    try {
      schemas.add(schema);
      if (schemas.validate(schema.$id as string, view).valid) return plugin;
    } catch {
      // a plugin with a broken schema claims nothing; its own checks report it when it is chosen
    }
  }
  return null;
}

export function modelMissingProblem(dir: string, registry: BackendRegistry): LintProblem {
  const kinds = MODEL_FILES.map((f) => [f, kindOf(join(dir, f))] as const).filter(([, kind]) => kind !== null);
  const odd = kinds.filter(([, kind]) => kind !== 'file');
  const unserved = kinds.filter(([, kind]) => kind === 'file').map(([f]) => f);
  const backends =
    registry
      .list()
      .filter((p) => p.needsBundle)
      .map((p) => p.name)
      .join(', ') || 'none';
  const what = [
    ...odd.map(([f, kind]) => `${f} is ${kind}, not a regular file`),
    ...(unserved.length > 0
      ? [`${unserved.join(', ')} is there but no registered backend reads it (a plugin missing?)`]
      : []),
  ];
  const message = `${what.length > 0 ? what.join('; ') : 'the bundle holds no model file'}: no registered backend (${backends}) can serve it, so the loader refuses it; ship one of ${MODEL_FILES.join(', ')} as a regular file`;
  return problem('error', ErrorCodes.BUNDLE_MODEL_MISSING, odd[0]?.[0] ?? unserved[0] ?? '', '', message);
}

function kindOf(path: string): string | null {
  try {
    const s = lstatSync(path);
    if (s.isFile() || s.isSymbolicLink()) return 'file'; // a link is judged by the file checks (BUNDLE_FILE_MISSING)
    if (s.isDirectory()) return 'a directory';
    if (s.isFIFO()) return 'a FIFO';
    if (s.isSocket()) return 'a socket';
    return 'a device';
  } catch {
    return null;
  }
}
