/** `cyntra-planner logits`: the raw (uncalibrated) head logits a bundle's model gives for one input. */
import { HEAD_NAMES } from '../../action.js';
import type { EncodedBatch } from '../../encoders/encoder.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { resolveInferenceConfig } from '../../inference-config.js';
import { isHeuristic, loadModel, type LoadedModel } from '../../model-loader.js';
import type { PlannerInputV1 } from '../../planner-input-types.js';
import { SchemaRegistry } from '../../schemas.js';
import { parseCommandArgs, readJsonFile, requireOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIO, type Command, type CommandDeps } from '../command.js';
import { errorLine, exitCodeFor } from '../exit-code.js';
import { readPlannerInput } from './predict.js';
import { modelLoadFailure, requireKnownBackend } from '../planner-setup.js';
import { PLUGIN_ARGS, configInference, loadCliPlugins, pluginHelp } from '../plugin-options.js';
import { assertKnownModelType } from '../../kernel/kernel-preflight.js';
import type { KernelConfig } from '../../kernel/kernel-config-types.js';

const HELP = `Usage: cyntra-planner logits --bundle DIR [--type T] (--features F.json | --input planner_input.json)
                             [--plugin SPEC]... [--config FILE]

Prints the model's raw, uncalibrated logits for one input as JSON on stdout:
  {"swarm":[…],"candidates":[…],"minutes":[…],"iterations":[…]}
No temperature, no masking, no decoding, no safety gate.

  --bundle DIR      model bundle directory (default: the config's planner.model.path)
  --features FILE   one feature vector as a JSON array of numbers, as wide as the model's input (3779 for
                    features.v1 bundles; a bundle whose d_in features.v1 cannot fill is refused at load)
  --input FILE      a cyntra.planner_input.v1 JSON file, encoded with the bundle's encoder
  --type T          backend name or alias (default: the config's planner.model.type, else auto)
${pluginHelp('and takes its planner.model path and type and backend_options as defaults')}
Exit codes: 0 ok, 1 the model cannot be loaded or run, or gives non-finite logits (LOGITS_INVALID), 2 bad usage
or a bad input file (also a feature that overflows float32).`;

/** Reads `F.json`: a JSON array of dIn numbers, each finite in float32 (INPUT_INVALID names the file otherwise). */
export function readFeatureVector(path: string, dIn: number): Float32Array {
  const value = readJsonFile(path);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: expected a JSON array of finite numbers (one feature vector)`,
      { context: { file: path } },
    );
  }
  const overflow = value.findIndex((v) => !Number.isFinite(Math.fround(v as number)));
  if (overflow >= 0) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: feature ${overflow} (${value[overflow]}) overflows float32, the model's input type; keep |x| < 3.4e38`,
      {
        context: { file: path, pointer: `/${overflow}` },
      },
    );
  }
  if (value.length !== dIn) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: the vector has ${value.length} numbers but the model takes ${dIn}; use the bundle's d_in`,
      { context: { file: path } },
    );
  }
  return Float32Array.from(value as number[]);
}

function encodeArgs(
  model: LoadedModel,
  values: { features?: string; input?: string },
): { inputs: PlannerInputV1[]; encoded: EncodedBatch } {
  if (values.input !== undefined) {
    const input = readPlannerInput(values.input);
    return { inputs: [input], encoded: model.encoder.encodeBatch([input]) };
  }
  const spec = model.session.input;
  if (spec.kind !== 'features') {
    throw new PlannerError(
      ErrorCodes.USAGE,
      `logits: this bundle's model takes ${spec.kind} input, not a feature vector; pass --input planner_input.json`,
    );
  }
  const data = readFeatureVector(values.features!, spec.dIn);
  return { inputs: [], encoded: { kind: 'features', size: 1, dIn: spec.dIn, data } };
}

async function loadForLogits(
  bundle: string,
  type: string | undefined,
  kernelConfig: KernelConfig | null,
  io: CliIO,
  deps: CommandDeps,
): Promise<LoadedModel> {
  const { registry } = deps;
  requireKnownBackend(registry, type);
  if (kernelConfig && type === undefined) assertKnownModelType(registry, kernelConfig);
  const base = configInference(kernelConfig);
  const config = resolveInferenceConfig({
    ...base,
    modelPath: bundle,
    modelType: type ?? kernelConfig?.planner.modelType ?? 'auto',
    fallback: [],
  });
  const model = await loadModel(config, { registry, logger: io.logger, schemas: new SchemaRegistry() });
  if (isHeuristic(model.plugin)) {
    await model.session.dispose();
    throw modelLoadFailure(bundle, model.attempts);
  }
  return model;
}

export const logitsCommand: Command = {
  name: 'logits',
  summary: 'print the raw (uncalibrated) logits of a bundle for one input',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('logits', argv, {
      bundle: { type: 'string' },
      type: { type: 'string' },
      features: { type: 'string' },
      input: { type: 'string' },
      ...PLUGIN_ARGS,
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const kernelConfig = await loadCliPlugins(values, io, deps.registry);
    const bundle = requireOption('logits', values.bundle ?? kernelConfig?.planner.modelPath ?? undefined, '--bundle');
    if ((values.features === undefined) === (values.input === undefined)) {
      throw new PlannerError(
        ErrorCodes.USAGE,
        'logits: pass exactly one of --features F.json or --input planner_input.json; see `cyntra-planner logits --help`',
      );
    }
    if (values.input !== undefined) readPlannerInput(values.input);
    else readJsonFile(values.features!);
    const model = await loadForLogits(bundle, values.type, kernelConfig, io, deps);
    try {
      const [logits] = await model.session.infer(encodeArgs(model, values));
      const bad = HEAD_NAMES.find((h) => !Array.from(logits[h]).every(Number.isFinite));
      if (bad)
        throw new PlannerError(
          ErrorCodes.LOGITS_INVALID,
          `the model's ${bad} logits are not finite (NaN or ±Infinity) for this input; check the input's magnitudes`,
          { context: { head: bad } },
        );
      const out = Object.fromEntries(HEAD_NAMES.map((h) => [h, Array.from(logits[h])]));
      io.stdout(`${JSON.stringify(out)}\n`);
      return EXIT_OK;
    } catch (error) {
      if (exitCodeFor(error) === EXIT_USAGE) throw error;
      io.stderr(
        `${errorLine(error instanceof PlannerError ? error : new PlannerError(ErrorCodes.INFERENCE_FAILED, String((error as Error).message), { cause: error }))}\n`,
      );
      return EXIT_FAILED;
    } finally {
      await model.session.dispose();
    }
  },
};
