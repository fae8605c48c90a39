/** docs/errors.md, rendered from the error catalogue (`npm run gen:errors` writes it; a test keeps it current). */
import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

const EXIT = { usage: '2', failure: '1' } as const;

export function renderErrorsMarkdown(): string {
  const rows = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).map((code) => {
    const { exit, meaning } = ERROR_CATALOGUE[code];
    return `| \`${code}\` | ${EXIT[exit]} | ${meaning.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# Error codes',
    '',
    '<!-- Generated from core/error-catalogue.ts by `npm run gen:errors`; do not edit by hand. -->',
    '',
    'Every error cyntra-planner raises on purpose carries one of these codes (`PlannerError.code`, lint problems,',
    "the CLI's `cyntra-planner: CODE: message` line). The exit column is the CLI's exit code when the error ends a",
    'command: `2` bad usage or a bad input file, `1` a failed operation. Commands that recover (the gate falls back to',
    'the heuristic, `lint` reports problems) exit as their help says.',
    '',
    '| Code | Exit | Meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
