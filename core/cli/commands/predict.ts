/** `cyntra-planner predict`: one planner_action.v1 record for one planner_input.v1 file. */
import { SchemaIds, SchemaRegistry } from '../../schemas.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import type { PlannerInputV1 } from '../../planner-input-types.js';
import { parseCommandArgs, parseNumberOption, readJsonFile, requireOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type CliIO, type Command } from '../command.js';
import { modelLoadFailure, setUpPlanner } from '../planner-setup.js';
import { PLUGIN_ARGS, loadCliPlugins, pluginHelp } from '../plugin-options.js';
import { errorLine } from '../exit-code.js';
import type { LoadAttempt } from '../../model-loader.js';
import { resolve } from 'node:path';
import { assertChallengerPath } from '../../rollout/challenger.js';
import { compareChallengers } from '../../rollout/predict-challengers.js';

const HELP = `Usage: cyntra-planner predict --input planner_input.json [--bundle DIR] [--type T] [--threshold X]
                              [--timeout-ms N] [--explain] [--strict] [--challenger DIR]... [--plugin SPEC]...
                              [--config FILE]

Prints one cyntra.planner_action.v1 JSON object on stdout.

  --input FILE      a cyntra.planner_input.v1 JSON file (validated against its schema; at most 16 MiB,
                    nested at most 100 levels)
  --bundle DIR      model bundle directory; without it the heuristic answers
  --type T          backend name or alias (onnx, tfjs/torch, heuristic, or a plugin's name: load it with
                    --plugin or the config's planner.plugins); default: the config's planner.model.type,
                    else auto (each bundle backend by priority, then the heuristic)
  --threshold X     confidence threshold in [0, 1] (default 0.6)
  --timeout-ms N    inference time budget in ms, a whole number in [1, 3600000] (default 100)
  --explain         also print a trace on stderr: backend, reason, per-head probabilities, timings
  --strict          exit 1 when the bundle could not be loaded (default: the heuristic answers, exit 0)
  --challenger DIR  also ask the bundle in DIR (repeatable; backend auto, same threshold and timeout) and print
                    {"champion": <record>, "challengers": [{bundle, backend, digest, record, agreement,
                    latency_ms}]} instead of the record alone; agreement is per head and exact with the champion
${pluginHelp('and takes its planner.model, inference and safety settings as defaults')}

Exit codes: 0 success, 1 a failed operation, 2 bad usage or bad input files.`;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predict the swarm and budgets for one planner input',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('predict', argv, {
      input: { type: 'string' },
      bundle: { type: 'string' },
      type: { type: 'string' },
      threshold: { type: 'string' },
      'timeout-ms': { type: 'string' },
      explain: { type: 'boolean' },
      strict: { type: 'boolean' },
      challenger: { type: 'string', multiple: true },
      ...PLUGIN_ARGS,
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const input = readPlannerInput(requireOption('predict', values.input, '--input'));
    const challengerDirs = (values.challenger ?? []).map((d) => resolve(io.cwd, d));
    for (const d of challengerDirs) assertChallengerPath(d, '--challenger');
    const config = await loadCliPlugins(values, io, deps.registry);
    const { planner, registry } = await setUpPlanner(
      {
        config,
        bundle: values.bundle,
        type: values.type,
        threshold: parseNumberOption('predict', values.threshold, '--threshold', 0, 1),
        timeoutMs: parseNumberOption('predict', values['timeout-ms'], '--timeout-ms', 1, 3_600_000, true),
      },
      io,
      deps,
    );
    try {
      // Under `auto`, backends the bundle is not meant for are expected misses: only reported when nothing loaded.
      reportAttempts(
        planner.modelUnavailable ? planner.attempts : planner.attempts.filter((a) => !a.notForBackend),
        io,
      );
      if (values.strict && planner.modelUnavailable) {
        io.stderr(`${errorLine(modelLoadFailure(values.bundle ?? '(none)', planner.attempts))}\n`);
        return EXIT_FAILED;
      }
      const outcome = await planner.predict(input);
      const challengers =
        challengerDirs.length === 0
          ? null
          : await compareChallengers(challengerDirs, input, outcome, planner.config, { registry, logger: io.logger });
      io.stdout(`${JSON.stringify(challengers ? { champion: outcome.record, challengers } : outcome.record)}\n`);
      if (values.explain)
        io.stderr(
          `${JSON.stringify({ trace: outcome.trace, attempts: planner.attempts, loadMs: planner.loadMs }, null, 2)}\n`,
        );
      return EXIT_OK;
    } finally {
      await planner.dispose();
    }
  },
};

export function readPlannerInput(path: string, schemas = new SchemaRegistry()): PlannerInputV1 {
  const value = readJsonFile(path);
  const result = schemas.validate(SchemaIds.plannerInput, value);
  if (!result.valid) {
    const e = result.errors[0];
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: not a valid cyntra.planner_input.v1: ${e.instancePath || '/'} ${e.message}`,
      {
        context: { file: path, pointer: e.instancePath },
      },
    );
  }
  return value as PlannerInputV1;
}

function reportAttempts(attempts: readonly LoadAttempt[], io: CliIO): void {
  for (const a of attempts)
    io.stderr(
      `cyntra-planner: warning: backend ${a.backend} unavailable (${a.stage}): ${a.code}: ${a.message.split('\n')[0]}\n`,
    );
}
