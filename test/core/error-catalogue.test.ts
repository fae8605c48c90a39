/**
 * The error catalogue is the one list of codes: docs/errors.md is generated from it and current, every code the
 * sources name is in it, each entry is one line, and the CLI's exit code comes from its class.
 */
import { constants } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../core/cli/exit-code.js';
import { renderErrorsMarkdown } from '../../core/error-docs.js';
import { ERROR_CATALOGUE, ErrorCodes, PlannerError, isErrorCode } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { sourceFiles } from '../support/import-graph.js';

const ROOT = packageRoot();

/** Code-looking literals in code positions: `code: 'X'`, `new PlannerError('X'`, `problem('error', 'X'`, `fail('X'`. */
const CODE_SITES = [
  /\bcode:\s*'([A-Z][A-Z0-9_]+)'/g,
  /new PlannerError\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bproblem\(\s*'(?:error|warning)',\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bfail\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /ErrorCodes\.([A-Z][A-Z0-9_]+)/g,
];

/** Node's system error codes (`code: 'ENOSPC'` on an injected write failure) are not planner codes. */
const ERRNO = new Set(Object.keys(constants.errno));

describe('error catalogue', () => {
  it('docs/errors.md is the generated one (run `npm run gen:errors` after adding a code)', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    expect(doc).toBe(renderErrorsMarkdown());
    for (const code of Object.keys(ERROR_CATALOGUE)) expect(doc, code).toContain(`| \`${code}\` |`);
  });

  it('every code the sources name is in the catalogue', () => {
    const files = [...sourceFiles(ROOT, 'core'), ...sourceFiles(ROOT, 'plugins')];
    const named = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const re of CODE_SITES) for (const m of text.matchAll(re)) if (!ERRNO.has(m[1])) named.set(m[1], file);
    }
    expect(named.size).toBeGreaterThan(40);
    expect([...named].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('each entry has an exit class and a one-line meaning', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(['usage', 'failure'], code).toContain(entry.exit);
      expect(entry.meaning, code).toMatch(/^[^\n]{10,110}\.$/);
    }
    expect(ErrorCodes.USAGE).toBe('USAGE');
    expect(Object.keys(ErrorCodes)).toEqual(Object.keys(ERROR_CATALOGUE));
  });

  it('exitCodeFor follows the catalogue: usage 2, failure 1, anything else 1', () => {
    expect(exitCodeFor(new PlannerError(ErrorCodes.USAGE, 'x'))).toBe(2);
    expect(exitCodeFor(new PlannerError(ErrorCodes.CONFIG_INVALID, 'x'))).toBe(2);
    expect(exitCodeFor(new PlannerError(ErrorCodes.PICKLE_GLOBAL_FORBIDDEN, 'x'))).toBe(2);
    expect(exitCodeFor(new PlannerError(ErrorCodes.IO_FAILED, 'x'))).toBe(1);
    expect(exitCodeFor(new PlannerError(ErrorCodes.RECORD_INVALID, 'x'))).toBe(1);
    expect(exitCodeFor(new PlannerError('NOT_A_CODE' as never, 'x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(exitCodeFor(new PlannerError(code as keyof typeof ERROR_CATALOGUE, 'x')), code).toBe(
        entry.exit === 'usage' ? 2 : 1,
      );
    }
  });
});
