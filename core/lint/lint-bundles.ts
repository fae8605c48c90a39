/**
 * `lintBundles`: every check the loaders apply, run offline over bundle directories, with every problem reported
 * (the loader stops at the first error, with the same code). When a bundle passes them all and its backend's
 * runtime is available, lint also runs the loader's warm-up inference (warm-up-check.ts) and says so in the report.
 */
import type { BackendPlugin } from '../backend/plugin.js';
import { bundleFromInspection } from '../bundle/load-bundle.js';
import { problemFromError, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { inspectBundle, withPositions, type BundleInspection } from '../bundle/checks/inspect-bundle.js';
import { createBundleReader } from '../bundle/bundle-reader.js';
import { readPluginJsonFiles } from '../bundle/plugin-json-files.js';
import { silentLogger } from '../logger.js';
import { SchemaRegistry } from '../schemas.js';
import { bundleBackend, type BackendChoice } from './bundle-backend.js';
import { encoderProblems } from './encoder-check.js';
import type { BundleLintResult, LintOptions, LintReport } from './lint-types.js';
import { claimingBackend, modelMissingProblem } from './model-missing.js';
import { pluginLintProblems, pluginSchemaProblems } from './plugin-checks.js';
import { warmUpCheck, type WarmUpNote } from './warm-up-check.js';

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
    return result(dir, null, null, [problemFromError(error, '')], null);
  }
  const backend = chooseBackend(inspection, options);
  const problems: LintProblem[] = [...inspection.problems, ...backend.problems];
  let warmUp: WarmUpNote | null = null;
  let texts = inspection.texts;
  if (backend.plugin) {
    const own = await pluginProblems(backend.plugin, inspection, options);
    problems.push(...own.problems);
    texts = { ...texts, ...own.texts };
    if (
      options.registry &&
      options.warmUp !== false &&
      inspection.actionSpace &&
      !problems.some((p) => p.severity === 'error')
    ) {
      const logger = (options.logger ?? silentLogger).child({ backend: backend.plugin.name, check: 'warm-up' });
      const bundle = { ...bundleFromInspection(inspection), json: own.json };
      const checked = await warmUpCheck(backend.plugin, bundle, options.registry, logger, options.warmUpTimeoutMs);
      warmUp = checked.note;
      problems.push(...checked.problems);
    }
  }
  return result(dir, backend.name, inspection.digest, withPositions(problems, texts), warmUp);
}

/**
 * As the loader under `model.type: auto`: the declared (or file-implied) backend when it is registered, else the first
 * registered one whose schema fits; none fitting is BUNDLE_MODEL_MISSING (unless other errors already refuse it).
 */
function chooseBackend(inspection: BundleInspection, options: LintOptions): BackendChoice {
  const declared = bundleBackend(inspection.json, inspection.files, options.registry);
  if (declared.plugin || !options.registry) return declared;
  const kept = declared.name === null ? [] : declared.problems; // BACKEND_UNKNOWN stays a warning
  const view = { files: inspection.files, json: inspection.json };
  const plugin = claimingBackend(options.registry, inspection.schemas, view);
  if (plugin) return { name: plugin.name, plugin, problems: kept };
  // With other errors the loader already refuses the bundle at its first one: keep the old warning then.
  if (inspection.problems.some((p) => p.severity === 'error')) return declared;
  return {
    name: declared.name,
    plugin: null,
    problems: [...kept, modelMissingProblem(inspection.dir, options.registry)],
  };
}

async function pluginProblems(
  plugin: BackendPlugin,
  inspection: BundleInspection,
  options: LintOptions,
): Promise<{ problems: LintProblem[]; texts: Record<string, string>; json: BundleInspection['json'] }> {
  const reader = createBundleReader({
    dir: inspection.dir,
    files: inspection.files,
    maxFileBytes: inspection.maxFileBytes,
    fileHashes: inspection.fileHashes,
  });
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
  return { problems, texts: extra.texts, json };
}

function result(
  dir: string,
  backend: string | null,
  digest: string | null,
  problems: LintProblem[],
  warmUp: WarmUpNote | null,
): BundleLintResult {
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  return { dir, backend, digest, problems, errorCount, warningCount: problems.length - errorCount, warmUp };
}
