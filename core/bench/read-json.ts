/** Reads a JSON file for the dataset builders: the value, or a one-line problem naming the file and line:col. */
import { existsSync, readFileSync } from 'node:fs';
import { parseJsonText } from '../bundle/json-file.js';

export type JsonRead = { ok: true; value: unknown; text: string } | { ok: false; problem: string };

export function readJson(file: string): JsonRead {
  if (!existsSync(file)) return { ok: false, problem: `${file}: missing` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return {
      ok: false,
      problem: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    };
  }
  try {
    return { ok: true, value: parseJsonText(text, file), text };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  }
}
