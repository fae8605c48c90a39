/** Bundle linting (issue 7): offline checks, then the loader's warm-up where the runtime is available (issue 12). */
export { lintBundles, lintBundle } from './lint-bundles.js';
export { formatReport, isLintFormat, LINT_FORMATS, type LintFormat } from './format-report.js';
export { bundleBackend } from './bundle-backend.js';
export type { BundleLintResult, LintOptions, LintProblem, LintReport } from './lint-types.js';
export type { WarmUpNote } from './warm-up-check.js';
