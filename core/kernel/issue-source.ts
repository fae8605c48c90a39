/**
 * The issue queue: a JSONL file (one issue per line; blank and `#` lines skipped; at most 64 MiB) or a directory of
 * `*.json` files (at most 16 MiB each).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, PlannerError } from '../errors.js';
import { MAX_JSON_DEPTH, tooDeepAt } from '../json-depth.js';
import { MAX_ISSUE_QUEUE_BYTES, readInputFile } from '../read-input-file.js';
import type { Issue } from '../planner-input-types.js';

export function readIssues(path: string): Issue[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: issue source not found; pass --issues FILE|DIR or set kernel.issues`,
      { context: { file: path }, cause },
    );
  }
  const issues = isDir ? readIssueDir(path) : parseIssuesJsonl(readInputFile(path, MAX_ISSUE_QUEUE_BYTES), path);
  const seen = new Set<string>();
  for (const issue of issues) {
    if (seen.has(issue.id))
      throw new PlannerError(
        ErrorCodes.INPUT_INVALID,
        `${path}: issue id "${issue.id}" appears twice; ids must be unique`,
        { context: { file: path, issueId: issue.id } },
      );
    seen.add(issue.id);
  }
  return issues;
}

export function parseIssuesJsonl(text: string, file: string): Issue[] {
  const issues: Issue[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    issues.push(parseIssue(trimmed, `${file}:${i + 1}`));
  });
  return issues;
}

function readIssueDir(dir: string): Issue[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseIssue(readInputFile(join(dir, f)), `${join(dir, f)}:1`));
}

/** `where` is `file:line`. */
export function parseIssue(text: string, where: string): Issue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${where}: not valid JSON (${(cause as Error).message}); each issue is one JSON object`,
      { context: { where }, cause },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${where}: an issue must be a JSON object`, {
      context: { where },
    });
  }
  const deep = tooDeepAt(value);
  if (deep !== null) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${where}: the issue is nested deeper than ${MAX_JSON_DEPTH} levels (at ${deep.slice(0, 80)}); flatten it`,
      {
        context: { where, keyPath: deep.slice(0, 200) },
      },
    );
  }
  const obj = value as Record<string, unknown>;
  const id = obj.id ?? obj.issue_id;
  if (!(typeof id === 'string' && id.length > 0) && !Number.isInteger(id)) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${where}: the issue has no "id" (a non-empty string); add one`, {
      context: { where, keyPath: 'id' },
    });
  }
  if (typeof id === 'string' && id.includes('\0')) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${where}: the issue id contains a NUL byte, which cannot reach the runner's environment; remove it`,
      { context: { where, keyPath: 'id' } },
    );
  }
  if (obj.tags !== undefined && obj.tags !== null && !Array.isArray(obj.tags)) {
    throw new PlannerError(ErrorCodes.INPUT_INVALID, `${where}: "tags" must be an array of strings`, {
      context: { where, keyPath: 'tags' },
    });
  }
  return { ...(obj as object), id: String(id) } as Issue;
}
