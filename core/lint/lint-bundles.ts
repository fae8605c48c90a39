/**
 * `lintBundles`: every check the loaders apply, run offline over bundle directories, with every problem reported
 * (the loader stops at the first error, with the same code). Loads no runtime and runs no inference.
 */
import { bundleFromInspection } from '../bundle/load-bundle.js';
import { problemFromError, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { inspectBundle, withPositions } from '../bundle/checks/inspect-bundle.js';
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
  if (backend.plugin) {
    problems.push(...pluginSchemaProblems(backend.plugin, inspection, inspection.schemas));
    if (inspection.actionSpace) {
      const logger = (options.logger ?? silentLogger).child({ backend: backend.plugin.name });
      problems.push(...(await pluginLintProblems(backend.plugin, bundleFromInspection(inspection), { logger })));
    }
    // Last, as in the loader: the encoder is built after the session.
    if (backend.plugin.needsBundle) problems.push(...encoderProblems(inspection.json, inspection.files));
  }
  return result(dir, backend.name, inspection.digest, withPositions(problems, inspection.texts));
}

function result(dir: string, backend: string | null, digest: string | null, problems: LintProblem[]): BundleLintResult {
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  return { dir, backend, digest, problems, errorCount, warningCount: problems.length - errorCount };
}
