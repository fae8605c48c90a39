/**
 * A backend's own checks: its `bundleSchema` over the BundleView (as the model loader validates it) and, when the
 * plugin has one, `plugin.lint(bundle)` (graph shapes, weight manifests, pickles — no inference).
 */
import type { BackendPlugin, PluginContext } from '../backend/plugin.js';
import type { Bundle } from '../bundle/bundle-types.js';
import { problem, problemFromError, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { ErrorCodes } from '../errors.js';
import { schemaProblems } from '../bundle/checks/check-json-files.js';
import type { SchemaRegistry } from '../schemas.js';

/** BUNDLE_SCHEMA problems of the plugin's bundleSchema, pointed back into the JSON file they concern. */
export function pluginSchemaProblems(
  plugin: BackendPlugin,
  view: Pick<Bundle, 'files' | 'json'>,
  schemas: SchemaRegistry,
): LintProblem[] {
  const schema = plugin.bundleSchema as Record<string, unknown> | undefined;
  if (!schema) return [];
  try {
    schemas.add(schema);
  } catch (error) {
    return [problemFromError(error, '')];
  }
  return schemaProblems(schemas, schema.$id as string, { files: view.files, json: view.json }, '').map((p) => ({
    ...p,
    ...relocate(p.pointer, view.json),
    message: `does not fit backend "${plugin.name}": ${p.message}`,
  }));
}

/** `/json/config.json/d_in` → file config.json, pointer /d_in; `/files/model.onnx` → file model.onnx. */
function relocate(pointer: string, json: Readonly<Record<string, unknown>>): { file: string; pointer: string } {
  const [, root, name, ...rest] = pointer.split('/');
  const file = (name ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
  if (root === 'json' && file in json) return { file, pointer: rest.length ? `/${rest.join('/')}` : '' };
  if (root === 'files' && file) return { file, pointer: '' };
  return { file: '', pointer };
}

export async function pluginLintProblems(
  plugin: BackendPlugin,
  bundle: Bundle,
  ctx: PluginContext,
): Promise<LintProblem[]> {
  if (!plugin.lint) return [];
  try {
    return await plugin.lint(bundle, ctx);
  } catch (error) {
    const p = problemFromError(error, '');
    return [
      p.code === ErrorCodes.INTERNAL
        ? problem('error', ErrorCodes.PLUGIN_LINT_FAILED, '', '', `backend "${plugin.name}" lint crashed: ${p.message}`)
        : p,
    ];
  }
}
