/**
 * The JSON files a plugin declares in `jsonFiles` (its own `weights.json`, say): read through the bundle's checked
 * listing (contained, size-capped, re-hashed when the digest is pinned), parsed with line:col on syntax errors, and
 * added to the `json` its `bundleSchema` sees, next to the core's fixed list (`CORE_BUNDLE_JSON_FILES`).
 */
import { PlannerError } from '../errors.js';
import type { BundleReader } from './bundle-reader.js';
import type { Bundle } from './bundle-types.js';
import { BUNDLE_JSON_FILES } from './checks/check-json-files.js';
import { parseJsonText } from './json-file.js';

/** The JSON files the core itself parses into `BundleView.json`, whatever the backend. */
export const CORE_BUNDLE_JSON_FILES: readonly string[] = Object.keys(BUNDLE_JSON_FILES);

export interface PluginJson {
  readonly json: Record<string, unknown>;
  /** Raw text per file, for line:col positions in lint. */
  readonly texts: Record<string, string>;
  /** One per file that could not be read or parsed (codes: BUNDLE_JSON_INVALID, BUNDLE_FILE_TOO_LARGE, ...). */
  readonly errors: PlannerError[];
}

/** Reads the declared files the bundle has; a declared file the bundle lacks is left out (the schema may require it). */
export async function readPluginJsonFiles(
  reader: BundleReader,
  names: readonly string[] | undefined,
  parsed: Readonly<Record<string, unknown>>,
): Promise<PluginJson> {
  const out: PluginJson = { json: {}, texts: {}, errors: [] };
  for (const name of names ?? []) {
    if (name in parsed || !reader.has(name)) continue;
    try {
      const text = (await reader.readFile(name)).toString('utf8');
      out.texts[name] = text;
      out.json[name] = parseJsonText(text, name);
    } catch (error) {
      if (!(error instanceof PlannerError)) throw error;
      out.errors.push(error);
    }
  }
  return out;
}

/** The bundle with the plugin's declared JSON files added to `json`; the first file that fails is thrown. */
export async function withPluginJsonFiles(bundle: Bundle, names: readonly string[] | undefined): Promise<Bundle> {
  if (!names || names.length === 0) return bundle;
  const extra = await readPluginJsonFiles(bundle, names, bundle.json);
  if (extra.errors.length > 0) {
    const e = extra.errors[0];
    throw new PlannerError(e.code, `bundle ${bundle.dir}: ${e.message}`, {
      context: { bundle: bundle.dir, ...e.context },
      cause: e,
    });
  }
  return Object.keys(extra.json).length === 0 ? bundle : { ...bundle, json: { ...bundle.json, ...extra.json } };
}
