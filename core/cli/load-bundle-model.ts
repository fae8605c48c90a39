/** Loads a bundle's model itself (no heuristic stand-in) for the offline commands `eval` and `calibrate`. */
import type { BackendRegistry } from '../backend/registry.js';
import { resolveInferenceConfig } from '../inference-config.js';
import type { Logger } from '../logger.js';
import { isHeuristic, loadModel, type LoadedModel } from '../model-loader.js';
import { SchemaRegistry } from '../schemas.js';
import { modelLoadFailure } from './planner-setup.js';

/** Throws BUNDLE_NOT_FOUND (missing directory) or MODEL_LOAD_FAILED naming the bundle and the failed attempt. */
export async function loadBundleModel(
  bundle: string,
  type: string | undefined,
  registry: BackendRegistry,
  logger: Logger,
): Promise<LoadedModel> {
  const config = resolveInferenceConfig({ modelPath: bundle, modelType: type ?? 'auto', fallback: [] });
  const model = await loadModel(config, { registry, logger, schemas: new SchemaRegistry() }).catch((e: unknown) => {
    throw modelLoadFailure(bundle, (e as { context?: { attempts?: [] } }).context?.attempts ?? []);
  });
  if (isHeuristic(model.plugin) || model.bundle === null) {
    await model.session.dispose();
    throw modelLoadFailure(bundle, model.attempts);
  }
  return model;
}
