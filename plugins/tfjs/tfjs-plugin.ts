/**
 * The `tfjs` backend: the spec's MLPPolicy ported to TensorFlow.js. It serves `model.type: tfjs` and, through the
 * aliases, `torch`/`pytorch`: weights come from `model.json` (+ .bin shards) when the bundle has one, else from
 * `model.pt` read by the restricted unpickler (nothing is executed). The tfjs runtime (tfjs-node, else wasm, else
 * cpu) is imported inside `init()`, so importing this module loads no library.
 */
import type { BackendPlugin, PluginContext } from '../../core/backend/plugin.js';
import { PLUGIN_API_VERSION } from '../../core/backend/plugin.js';
import { loadPolicyWeights } from './policy-weights.js';
import { lintTfjsBundle } from './tfjs-lint.js';
import { DEFAULT_BACKEND_ORDER, loadTfjsRuntime, type TfjsBackendName, type TfjsRuntime } from './tfjs-runtime.js';
import { createTfjsSession } from './tfjs-session.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';

export const TFJS_BUNDLE_SCHEMA = {
  $id: 'https://cyntra.dev/schemas/backend-tfjs-bundle.schema.json',
  title: 'Bundle view the tfjs backend accepts',
  type: 'object',
  required: ['files', 'json'],
  properties: {
    files: {
      type: 'object',
      required: ['config.json'],
      anyOf: [{ required: ['model.json'] }, { required: ['model.pt'] }],
    },
    json: {
      type: 'object',
      required: ['config.json'],
      properties: { 'config.json': { type: 'object', required: ['d_in'] } },
    },
  },
} as const;

export interface TfjsPluginOptions {
  /** tfjs backends to try, in order (default: tensorflow, wasm, cpu). */
  readonly backends?: readonly TfjsBackendName[];
}

export function createTfjsPlugin(options: TfjsPluginOptions = {}): BackendPlugin {
  let runtime: Promise<TfjsRuntime> | undefined;
  const start = (ctx: PluginContext): Promise<TfjsRuntime> =>
    (runtime ??= loadTfjsRuntime(ctx.logger, options.backends ?? DEFAULT_BACKEND_ORDER));
  return {
    apiVersion: PLUGIN_API_VERSION,
    name: 'tfjs',
    aliases: ['torch', 'pytorch'],
    priority: 20,
    description:
      'TensorFlow.js port of the spec MLPPolicy; reads model.json weights or a torch state_dict (model.pt) without Python.',
    needsBundle: true,
    bundleSchema: TFJS_BUNDLE_SCHEMA,
    async init(ctx) {
      await start(ctx);
    },
    async createSession(bundle, ctx) {
      if (!bundle)
        throw new PlannerError(
          ErrorCodes.BUNDLE_NOT_FOUND,
          'the tfjs backend needs a model bundle (config.json + model.pt or model.json)',
        );
      const rt = await start(ctx);
      const { weights, source } = await loadPolicyWeights(bundle);
      ctx.logger.info(
        { tfjsBackend: rt.backend, weights: source },
        `tfjs session: ${source} on the ${rt.backend} backend`,
      );
      return createTfjsSession(rt, weights, { weights: source, dims: { ...weights.dims } });
    },
    lint: (bundle) => lintTfjsBundle(bundle),
  };
}

export const tfjsPlugin: BackendPlugin = createTfjsPlugin();
