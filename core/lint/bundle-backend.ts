/**
 * Which backend a bundle is for (lint runs that backend's checks): metadata.json `backend`, else config.json
 * `model_type` when it names a registered backend (a plugin's name: load it with `--plugin`), else what its files imply (`model.onnx`/`planner.onnx` ⇒ onnx, `model.pt`/`model.json` ⇒ tfjs).
 */
import type { BackendPlugin } from '../backend/plugin.js';
import type { BackendRegistry } from '../backend/registry.js';
import { problem, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { ErrorCodes } from '../errors.js';

const IMPLIED: ReadonlyArray<readonly [file: string, backend: string]> = [
  ['model.onnx', 'onnx'],
  ['planner.onnx', 'onnx'],
  ['model.pt', 'tfjs'],
  ['model.json', 'tfjs'],
];

export interface BackendChoice {
  readonly name: string | null;
  readonly plugin: BackendPlugin | null;
  readonly problems: LintProblem[];
}

export function bundleBackend(
  json: Readonly<Record<string, unknown>>,
  files: Readonly<Record<string, unknown>>,
  registry?: BackendRegistry,
): BackendChoice {
  const declared = stringAt(json['metadata.json'], 'backend');
  if (declared) {
    const plugin = registry?.get(declared) ?? null;
    if (plugin || !registry) return { name: plugin?.name ?? declared, plugin, problems: [] };
    const message = `metadata.json names backend "${declared}", which is not registered here; its plugin checks were skipped (known: ${registry
      .list()
      .map((p) => p.name)
      .join(', ')})`;
    return {
      name: declared,
      plugin: null,
      problems: [problem('warning', ErrorCodes.BACKEND_UNKNOWN, 'metadata.json', '/backend', message)],
    };
  }
  const modelType = stringAt(json['config.json'], 'model_type');
  const fromConfig = modelType ? registry?.get(modelType) : undefined;
  if (fromConfig) return { name: fromConfig.name, plugin: fromConfig, problems: [] };
  const implied = IMPLIED.find(([file]) => file in files)?.[1];
  if (implied)
    return { name: registry?.get(implied)?.name ?? implied, plugin: registry?.get(implied) ?? null, problems: [] };
  if (modelType && registry) {
    const message = `config.json model_type "${modelType}" names no registered backend and no model file implies one, so no backend's checks ran; load the backend's plugin with --plugin SPEC (known: ${registry
      .list()
      .map((p) => p.name)
      .join(', ')})`;
    return {
      name: modelType,
      plugin: null,
      problems: [problem('warning', ErrorCodes.BACKEND_UNKNOWN, 'config.json', '/model_type', message)],
    };
  }
  const message =
    'neither metadata.json "backend", config.json "model_type" nor a model file (model.onnx, planner.onnx, model.pt, model.json) says which backend this bundle is for; plugin checks were skipped';
  return {
    name: null,
    plugin: null,
    problems: [problem('warning', ErrorCodes.BUNDLE_BACKEND_UNDETERMINED, '', '', message)],
  };
}

function stringAt(value: unknown, key: string): string | null {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v.length > 0 ? v : null;
}
