/**
 * The `calibration.json` that `calibrate` writes, in the bundle's own key style: the spec's
 * `{"method": "temperature_scaling", "temperature": {swarm, candidates, minutes, iterations}}` or the Python
 * planner's `{"schema_version": "cyntra.planner_calibration.v1", "temperatures": {swarm_id, max_*_bin}}` (sorted
 * keys, as Python writes). The style is the existing file's; without one, the bundle flavour's (config.json ⇒ spec).
 * Other keys of the existing file are kept; `fit` records how the temperatures were obtained (readers ignore it).
 * When metadata.json lists per-file checksums, its `calibration.json` entry is updated to the new bytes.
 */
import { createHash } from 'node:crypto';
import { HEAD_NAMES, PYTHON_HEAD_KEYS } from '../action.js';
import type { BundleFlavor } from '../bundle/bundle-types.js';
import type { Temperatures } from '../calibration.js';

export type KeyStyle = 'spec' | 'python';

export function calibrationKeyStyle(existing: unknown, flavor: BundleFlavor): KeyStyle {
  const obj = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
  if (obj.temperature !== undefined) return 'spec';
  if (obj.temperatures !== undefined) return 'python';
  return flavor === 'spec' ? 'spec' : 'python';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, sortKeys(obj[k])]),
  );
}

/** Six significant digits: enough for a temperature, short in the file. */
function round(t: number): number {
  return Number(t.toPrecision(6));
}

export function calibrationText(
  existing: unknown,
  style: KeyStyle,
  temperatures: Temperatures,
  fit: Readonly<Record<string, unknown>>,
): string {
  const base =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing)
      ? { ...(existing as Record<string, unknown>) }
      : {};
  delete base.temperature;
  delete base.temperatures;
  if (style === 'spec') {
    const temperature = Object.fromEntries(HEAD_NAMES.map((h) => [h, round(temperatures[h])]));
    return `${JSON.stringify({ ...base, method: 'temperature_scaling', temperature, fit }, null, 2)}\n`;
  }
  const table = Object.fromEntries(HEAD_NAMES.map((h) => [PYTHON_HEAD_KEYS[h], round(temperatures[h])]));
  return `${JSON.stringify(sortKeys({ ...base, schema_version: 'cyntra.planner_calibration.v1', temperatures: table, fit }), null, 2)}\n`;
}

/** metadata.json with its `files["calibration.json"]` checksum updated; null when it lists no per-file checksums. */
export function metadataText(metadata: unknown, calibration: string): string | null {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return null;
  const files = (metadata as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return null;
  const bytes = Buffer.from(calibration, 'utf8');
  const entry = {
    ...((files as Record<string, unknown>)['calibration.json'] as object | undefined),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  };
  return `${JSON.stringify({ ...metadata, files: { ...files, 'calibration.json': entry } }, null, 2)}\n`;
}
