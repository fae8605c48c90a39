/** `cyntra-planner eval`: prediction (§13.1) and outcome (§13.4) metrics of bundles vs the baselines on a dataset. */
import { resolve } from 'node:path';
import type { BackendRegistry } from '../../backend/registry.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { readDataset, rowsOf } from '../../eval/dataset-reader.js';
import { SPLIT_SELECTIONS, type SplitSelection } from '../../eval/dataset-split.js';
import type { BundleResult, EvalOptions } from '../../eval/eval-types.js';
import { formatEvalTable } from '../../eval/format-eval-table.js';
import { predictRows } from '../../eval/model-predictions.js';
import { buildOutcomeReport } from '../../eval/outcome-report.js';
import { buildEvalReport } from '../../eval/prediction-report.js';
import type { PlannerInputV1 } from '../../planner-input-types.js';
import { parseCommandArgs, parseNumberOption, requireOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type CliIO, type Command } from '../command.js';
import { loadBundleModel } from '../load-bundle-model.js';
import { requireKnownBackend } from '../planner-setup.js';
import { progressReporter } from '../progress.js';

const HELP = `Usage: cyntra-planner eval --dataset FILE [--bundle DIR]... [--type T] [--split all|train|val|test]
                           [--format table|json] [--target-coverage X] [--bootstrap N] [--seed N] [--batch-size N]

Evaluates bundles against the baselines on an outcome dataset (JSONL, one row per line with planner_input,
label_action and, from a best-of-K bench, bench.candidates; reference §13.3):
  - prediction metrics (§13.1): per-head accuracy, exact match, swarm entropy and top-1 share, for the baselines
    "heuristic" (this planner's fallback), "defaults" and "risk" (the Python tool's) and for each bundle;
  - outcome metrics (§13.4), on rows with bench candidates: pass rate, time to pass, duration and cost per pass,
    oracle match and mean regret, for the baseline policy (first candidate), the oracle and each bundle;
  - per bundle: a confidence-threshold sweep (coverage; exact match and pass rate on the rows the model would
    decide, vs the heuristic/baseline on the same rows) with a recommended threshold, a reliability table with ECE,
    and paired bootstrap 95% intervals of model minus baseline (exact match, pass rate, regret).
Bundles run without the gate (no threshold, timeout or caps), with their own calibration. Splits: the file's
JSON-object rows sorted by (started_ms, run_id), first int(n*0.8) train, next int(n*0.1) val, the rest test.
Bad lines (not JSON, no or an invalid planner_input) are skipped, counted and listed, never fatal.

  --dataset FILE          the dataset (dataset.jsonl)
  --bundle DIR            a bundle to evaluate (repeatable); without any, only the baselines
  --type T                backend for every bundle (default: auto)
  --split S               all (default), train, val or test
  --format F              table (default) or json: {"eval_report": cyntra.planner_eval_report.v1,
                          "outcome_eval": cyntra.planner_outcome_eval.v1 or null} (schemas/)
  --target-coverage X     coverage the recommended threshold keeps, in (0, 1] (default 0.8)
  --bootstrap N           bootstrap resamples (default 1000; 0 turns the intervals off)
  --seed N                bootstrap seed (default 0)
  --batch-size N          rows per backend call (default 64)
Progress goes to stderr. Exit codes: 0 done, 1 a bundle could not be loaded (the report still covers the rest),
2 bad usage or an unreadable dataset.`;

interface EvalArgs {
  readonly dataset: string;
  readonly bundles: readonly string[];
  readonly type: string | undefined;
  readonly format: 'table' | 'json';
  readonly batchSize: number;
  readonly options: EvalOptions;
}

function parseEvalArgs(argv: readonly string[], io: CliIO): EvalArgs | null {
  const { values } = parseCommandArgs('eval', argv, {
    dataset: { type: 'string' },
    bundle: { type: 'string', multiple: true },
    type: { type: 'string' },
    split: { type: 'string' },
    format: { type: 'string' },
    'target-coverage': { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    'batch-size': { type: 'string' },
  });
  if (values.help) return null;
  const split = (values.split ?? 'all') as SplitSelection;
  if (!SPLIT_SELECTIONS.includes(split))
    throw usage(`--split must be one of ${SPLIT_SELECTIONS.join(', ')}, got "${values.split}"`);
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw usage(`--format must be table or json, got "${format}"`);
  const targetCoverage = parseNumberOption('eval', values['target-coverage'], '--target-coverage', 0, 1) ?? 0.8;
  if (targetCoverage === 0) throw usage('--target-coverage must be above 0');
  return {
    dataset: resolve(io.cwd, requireOption('eval', values.dataset, '--dataset')),
    bundles: (values.bundle ?? []).map((b) => resolve(io.cwd, b)),
    type: values.type,
    format,
    batchSize: wholeNumber(values['batch-size'], '--batch-size', 1, 64),
    options: {
      split,
      targetCoverage,
      bootstrapResamples: wholeNumber(values.bootstrap, '--bootstrap', 0, 1000),
      seed: wholeNumber(values.seed, '--seed', 0, 0),
      generatedAt: new Date().toISOString(),
    },
  };
}

export function wholeNumber(
  value: string | undefined,
  flag: string,
  min: number,
  fallback: number,
  command = 'eval',
): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new PlannerError(ErrorCodes.USAGE, `${command}: ${flag} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

function usage(message: string): PlannerError {
  return new PlannerError(ErrorCodes.USAGE, `eval: ${message}; see \`cyntra-planner eval --help\``);
}

async function evaluateBundle(
  dir: string,
  inputs: readonly PlannerInputV1[],
  args: EvalArgs,
  registry: BackendRegistry,
  io: CliIO,
): Promise<BundleResult> {
  let model;
  try {
    model = await loadBundleModel(dir, args.type, registry, io.logger);
  } catch (error) {
    const e = error instanceof PlannerError ? error : new PlannerError(ErrorCodes.MODEL_LOAD_FAILED, String(error));
    io.stderr(
      `cyntra-planner: eval: ${e.code}: ${e.message.split('\n')[0]}; this bundle is left out, the evaluation goes on\n`,
    );
    return { status: 'failed', bundle: dir, code: e.code, message: e.message.split('\n')[0] };
  }
  try {
    const results = await predictRows(model, inputs, {
      batchSize: args.batchSize,
      onProgress: progressReporter(io, `eval: ${model.bundle!.checkpointId}`),
    });
    const mode = model.bundle!.confidenceMode;
    return {
      status: 'ok',
      bundle: dir,
      backend: model.plugin.name,
      checkpointId: model.bundle!.checkpointId,
      confidenceMode: mode,
      actionSpace: model.actionSpace,
      results,
    };
  } finally {
    await model.session.dispose();
  }
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate bundles vs the heuristic on a dataset (metrics, threshold sweep, reliability, bootstrap)',
  help: HELP,
  async run(argv, io, deps) {
    const args = parseEvalArgs(argv, io);
    if (args === null) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const registry = deps.registry;
    requireKnownBackend(registry, args.type);
    const dataset = readDataset(args.dataset);
    for (const s of dataset.skipped) io.stderr(`cyntra-planner: eval: warning: ${s.message}\n`);
    if (dataset.splitFieldDisagreements > 0)
      io.stderr(
        `cyntra-planner: eval: warning: ${dataset.splitFieldDisagreements} rows carry a "split" field that differs from the time split recomputed from (started_ms, run_id); the recomputed split is used\n`,
      );
    if (dataset.skipped.length > 0)
      io.stderr(`cyntra-planner: eval: ${dataset.skipped.length} lines skipped, ${dataset.rows.length} rows usable\n`);
    const rows = rowsOf(dataset, args.options.split);
    const bundles: BundleResult[] = [];
    for (const dir of args.bundles)
      bundles.push(
        await evaluateBundle(
          dir,
          rows.map((r) => r.input),
          args,
          registry,
          io,
        ),
      );
    const input = { dataset, rows, bundles, options: args.options };
    const evalReport = buildEvalReport(input);
    const outcome = buildOutcomeReport(input);
    io.stdout(
      args.format === 'json'
        ? `${JSON.stringify({ eval_report: evalReport, outcome_eval: outcome }, null, 2)}\n`
        : formatEvalTable(evalReport, outcome),
    );
    return bundles.some((b) => b.status === 'failed') ? EXIT_FAILED : EXIT_OK;
  },
};
