/**
 * `lintBundles`: every check the loaders apply, run offline over bundle directories, with every problem reported
 * (the loader stops at the first error, with the same code). Loads no runtime and runs no inference.
 */
import { bundleFromInspection } from '../bundle/load-bundle.js';
import { problemFromError, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { inspectBundle, withPositions, type BundleInspection } from '../bundle/checks/inspect-bundle.js';
import { createBundleReader } from '../bundle/bundle-reader.js';
import { readPluginJsonFiles } from '../bundle/plugin-json-files.js';
import type { BackendPlugin } from '../backend/plugin.js';
import { silentLogger } from '../logger.js';
import { SchemaRegistry } from '../schemas.js';
import { bundleBackend } from './bundle-backend.js';
import { encoderProblems } from './encoder-check.js';
import type { BundleLintResult, LintOptions, LintReport } from './lint-types.js';
import { pluginLintProblems, pluginSchemaProblems } from './plugin-checks.js';

export async function lintBundles(dirs: readonly string[], options: LintOptions = {}): Promise<LintReport> {
  const schemas = options.schemas ?? new SchemaRegistry();
  const bundles: BundleLintResult[] = [];
  for (const dir of dirs) bundles.push(await lintBundle(dir, { ...options, schemas }));
  return {
    bundles,
    errorCount: bundles.reduce((n, b) => n + b.errorCount, 0),
    warningCount: bundles.reduce((n, b) => n + b.warningCount, 0),
  };
}

export async function lintBundle(dir: string, options: LintOptions = {}): Promise<BundleLintResult> {
  let inspection;
  try {
    inspection = await inspectBundle(dir, options);
  } catch (error) {
    return result(dir, null, null, [problemFromError(error, '')]);
  }
  const backend = bundleBackend(inspection.json, inspection.files, options.registry);
  const problems: LintProblem[] = [...inspection.problems, ...backend.problems];
  let texts = inspection.texts;
  if (backend.plugin) {
    const own = await pluginProblems(backend.plugin, inspection, options);
    problems.push(...own.problems);
    texts = { ...texts, ...own.texts };
  }
  return result(dir, backend.name, inspection.digest, withPositions(problems, texts));
}

/** The backend's checks: its declared JSON files, its bundleSchema, its own lint(), then the encoder (as the loader). */
async function pluginProblems(plugin: BackendPlugin, inspection: BundleInspection, options: LintOptions): Promise<{ problems: LintProblem[]; texts: Record<string, string> }> {
  const reader = createBundleReader({ dir: inspection.dir, files: inspection.files, maxFileBytes: inspection.maxFileBytes, fileHashes: inspection.fileHashes });
  const extra = await readPluginJsonFiles(reader, plugin.jsonFiles, inspection.json);
  const json = { ...inspection.json, ...extra.json };
  const problems = extra.errors.map((e): LintProblem => {
    const { file, line, column } = e.context as { file?: unknown; line?: number; column?: number };
    return { ...problemFromError(e, typeof file === 'string' ? file : ''), line, column };
  });
  problems.push(...pluginSchemaProblems(plugin, { files: inspection.files, json }, inspection.schemas));
  if (inspection.actionSpace) {
    const logger = (options.logger ?? silentLogger).child({ backend: plugin.name });
    problems.push(...(await pluginLintProblems(plugin, { ...bundleFromInspection(inspection), json }, { logger })));
  }
  // Last, as in the loader: the encoder is built after the session.
  if (plugin.needsBundle) problems.push(...encoderProblems(inspection.json, inspection.files));
  return { problems, texts: extra.texts };
}

function result(dir: string, backend: string | null, digest: string | null, problems: LintProblem[]): BundleLintResult {
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  return { dir, backend, digest, problems, errorCount, warningCount: problems.length - errorCount };
}
