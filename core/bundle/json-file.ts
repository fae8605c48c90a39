/** Parses a JSON file's text, turning syntax errors into BUNDLE_JSON_INVALID with line:col. */
import { ErrorCodes, PlannerError } from '../errors.js';
import { jsonSyntaxErrorOffset } from './json-syntax.js';

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const { line, column } = positionOf(text, message);
    throw new PlannerError(
      ErrorCodes.BUNDLE_JSON_INVALID,
      `${file}:${line}:${column}: invalid JSON (${message}); fix the syntax at that position`,
      {
        context: { file, line, column },
        cause,
      },
    );
  }
}

/** V8 reports `(line L column C)`, `at position N`, or (often, on Node 20) nothing; then our own scan finds it. */
function positionOf(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : (jsonSyntaxErrorOffset(text) ?? text.length);
  return offsetToLineCol(text, offset);
}

export function offsetToLineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
