/** Offline bundle linting (issue 7). */
export { lintBundles, lintBundle } from './lint-bundles.js';
export { formatReport, isLintFormat, LINT_FORMATS, type LintFormat } from './format-report.js';
export { bundleBackend } from './bundle-backend.js';
export type { BundleLintResult, LintOptions, LintProblem, LintReport } from './lint-types.js';
