/**
 * The `onnx` backend: onnxruntime-node on the CPU provider. `init()` imports the native module lazily;
 * `createSession()` reads the bundle's model bytes, checks the graph (onnx-graph-check.ts) before onnxruntime sees
 * it, creates the session from bytes (never from a path: external data is refused, so nothing outside the bundle
 * is ever read), warms it up and wraps it (onnx-session.ts).
 */
import type {
  BackendPlugin,
  BackendSession,
  LintProblem,
  PluginContext,
  SessionContext,
} from '../../core/backend/plugin.js';
import { PLUGIN_API_VERSION } from '../../core/backend/plugin.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { ErrorCodes, PlannerError, isErrorCode } from '../../core/errors.js';
import { checkOnnxGraph, modelFileOf, ONNX_EXTERNAL_DATA, type OnnxSessionPlan } from './onnx-graph-check.js';
import { readOnnxModel, type OnnxModelInfo } from './onnx-reader.js';
import { headWidths, importOrt, openSession } from './onnx-io.js';
import { runInOption, spinOptions, threadOptions } from './onnx-options.js';
import { callerRunner, createOnnxBackendSession, type OrtModule } from './onnx-session.js';
import { attachThread, workerRunner } from './onnx-thread-runner.js';

export const ONNX_BUNDLE_SCHEMA_ID = 'https://cyntra-planner/schemas/plugins/onnx-bundle.json';

export const onnxBundleSchema = {
  $id: ONNX_BUNDLE_SCHEMA_ID,
  title: 'onnx backend bundle',
  description: 'A bundle the onnx backend can serve: model.onnx (spec) or planner.onnx (Python planner).',
  type: 'object',
  required: ['files'],
  properties: {
    files: { type: 'object', anyOf: [{ required: ['model.onnx'] }, { required: ['planner.onnx'] }] },
  },
} as const;

export {
  threadOptions,
  runInOption,
  spinOptions,
  type OnnxThreads,
  type OnnxRunIn,
  type OnnxSpin,
} from './onnx-options.js';

/** Reads and checks the model: first error thrown as a PlannerError (external data escaping → BUNDLE_PATH_ESCAPE). */
export async function prepareOnnxModel(
  bundle: Bundle,
): Promise<{ bytes: Buffer; info: OnnxModelInfo; plan: OnnxSessionPlan; where: string }> {
  const modelFile = modelFileOf(bundle);
  if (modelFile === null) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_FILE_MISSING,
      `${bundle.dir}: no model.onnx or planner.onnx; the onnx backend needs one`,
      { context: { bundle: bundle.dir } },
    );
  }
  const where = `${bundle.dir}/${modelFile}`;
  const bytes = await bundle.readFile(modelFile);
  const info = readOnnxModel(bytes, where);
  for (const ext of info.externalData) bundle.resolve(ext.location);
  const check = checkOnnxGraph(info, bundle, modelFile);
  const first = check.problems.find((p) => p.severity === 'error');
  if (first || !check.plan) {
    const p = first ?? { code: ErrorCodes.MODEL_LOAD_FAILED, message: 'the graph is not usable' };
    throw new PlannerError(isErrorCode(p.code) ? p.code : ErrorCodes.MODEL_LOAD_FAILED, `${bundle.dir}/${p.message}`, {
      context: { bundle: bundle.dir, file: modelFile },
    });
  }
  return { bytes, info, plan: check.plan, where };
}

export function createOnnxPlugin(): BackendPlugin {
  let ort: OrtModule | null = null;

  const init = async (): Promise<void> => {
    ort ??= await importOrt();
  };

  const createSession = async (bundle: Bundle | null, ctx: SessionContext): Promise<BackendSession> => {
    if (bundle === null)
      throw new PlannerError(ErrorCodes.BUNDLE_NOT_FOUND, 'the onnx backend needs a bundle; set model.path');
    await init();
    const threads = threadOptions(ctx.options);
    const runIn = runInOption(ctx.options);
    const spin = spinOptions(ctx.options);
    const { bytes, info, plan, where } = await prepareOnnxModel(bundle);
    const sessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...threads } as const;
    const runner =
      runIn === 'worker'
        ? await workerRunner(
            {
              model: bytes,
              sessionOptions,
              plan,
              widths: headWidths(bundle.actionSpace),
              where,
              spinUs: spin.threadSpinUs,
            },
            spin.callerSpinUs,
          )
        : callerRunner(ort!, await openSession(ort!, bytes, sessionOptions, where), plan, bundle.actionSpace, where);
    const sessionInfo = {
      runtime: 'onnxruntime-node',
      provider: 'cpu',
      ...threads,
      runIn,
      ...(runIn === 'worker' ? spin : {}),
      opset: plan.opset,
      irVersion: info.irVersion,
      flavour: plan.input.kind === 'tokens' ? 'python' : 'spec',
      modelFile: plan.modelFile,
      outputMapping: plan.outputMapping,
    };
    ctx.logger.debug({ ...sessionInfo }, 'onnx session created');
    return attachThread(await createOnnxBackendSession({ runner, plan, info: sessionInfo, where }), runner);
  };

  return {
    apiVersion: PLUGIN_API_VERSION,
    name: 'onnx',
    aliases: ['onnxruntime', 'ort'],
    priority: 100,
    description:
      'onnxruntime-node on CPU: spec bundles (model.onnx, features) and Python-planner bundles (planner.onnx, tokens).',
    needsBundle: true,
    bundleSchema: onnxBundleSchema,
    init: (_ctx: PluginContext) => init(),
    createSession,
    lint: async (bundle: Bundle) => lintOnnxBundle(bundle),
  };
}

/** Graph checks for `lint`: inputs, outputs, dtypes, widths, opset, external data. Never throws for a bad model. */
export async function lintOnnxBundle(bundle: Bundle): Promise<LintProblem[]> {
  const modelFile = modelFileOf(bundle);
  if (modelFile === null)
    return [
      {
        severity: 'error',
        code: ErrorCodes.BUNDLE_FILE_MISSING,
        file: 'model.onnx',
        pointer: '',
        message: 'no model.onnx or planner.onnx in the bundle',
      },
    ];
  try {
    const info = readOnnxModel(await bundle.readFile(modelFile), modelFile);
    // Containment first, as the loader checks it first: the first error here is the code the loader refuses with.
    const problems: LintProblem[] = [];
    for (const ext of info.externalData) {
      try {
        bundle.resolve(ext.location);
      } catch (error) {
        problems.push({
          severity: 'error',
          code: error instanceof PlannerError ? error.code : ONNX_EXTERNAL_DATA,
          file: modelFile,
          pointer: '',
          message: `external data "${ext.location}" of tensor "${ext.tensor}" points outside the bundle`,
        });
      }
    }
    // An escaping location is one defect: do not report it a second time as unsupported external data.
    const escaped = problems.length > 0;
    problems.push(
      ...checkOnnxGraph(info, bundle, modelFile).problems.filter((p) => !(escaped && p.code === ONNX_EXTERNAL_DATA)),
    );
    return problems;
  } catch (error) {
    const code = error instanceof PlannerError ? error.code : ErrorCodes.MODEL_LOAD_FAILED;
    return [
      {
        severity: 'error',
        code,
        file: modelFile,
        pointer: '',
        message: error instanceof Error ? error.message : String(error),
      },
    ];
  }
}

export const onnxPlugin: BackendPlugin = createOnnxPlugin();
