/**
 * SARIF 2.1.0 (what code-scanning UIs read): one run, the problem codes as `tool.driver.rules`, one result per
 * problem with a physicalLocation (bundle-relative URI, region startLine/startColumn inside JSON files).
 */
import { join } from 'node:path';
import { packageVersion } from './package-version.js';
import type { LintProblem, LintReport } from './lint-types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(report: LintReport, cwd = process.cwd()): string {
  const codes = [...new Set(report.bundles.flatMap((b) => b.problems.map((p) => p.code)))].sort();
  const results = report.bundles.flatMap((b) => b.problems.map((p) => sarifResult(p, b.dir, codes, cwd)));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cyntra-planner lint',
            version: packageVersion(),
            informationUri: 'https://github.com/cyntra/cyntra-planner',
            rules: codes.map((id) => ({
              id,
              name: id,
              shortDescription: { text: `cyntra-planner bundle check ${id}` },
            })),
          },
        },
        results,
        // which bundles lint also warmed up with the loader's own inference (or why not)
        properties: {
          warmUp: report.bundles.map((b) => ({ dir: b.dir, ...(b.warmUp ?? { status: 'not-attempted' }) })),
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function sarifResult(p: LintProblem, dir: string, codes: readonly string[], cwd: string): Record<string, unknown> {
  const path = join(dir, p.file);
  const uri = (path.startsWith('/') ? path : join(cwd, path)).split('\\').join('/');
  const region = p.line !== undefined ? { region: { startLine: p.line, startColumn: p.column ?? 1 } } : {};
  return {
    ruleId: p.code,
    ruleIndex: codes.indexOf(p.code),
    level: p.severity,
    message: { text: p.message.split('\n')[0] },
    locations: [{ physicalLocation: { artifactLocation: { uri: `file://${encodeURI(uri)}` }, ...region } }],
    ...(p.pointer ? { properties: { jsonPointer: p.pointer } } : {}),
  };
}
