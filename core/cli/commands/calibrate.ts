/** `cyntra-planner calibrate`: fits one temperature per head on a dataset's val split and writes calibration.json. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { HEAD_NAMES, type HeadName } from '../../action.js';
import { UNIT_TEMPERATURES, type Temperatures } from '../../calibration.js';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { fitAllHeads, headExamples, headQuality, type HeadQuality } from '../../eval/calibration-fit.js';
import { readDataset, rowsOf, type Dataset } from '../../eval/dataset-reader.js';
import { fmt, table } from '../../eval/format-eval-table.js';
import { rawLogits } from '../../eval/model-predictions.js';
import { T_MAX, T_MIN, type TemperatureFit } from '../../eval/temperature-fit.js';
import type { WriteTarget } from '../../eval/write-bundle-files.js';
import type { LoadedModel } from '../../model-loader.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type CliIO, type Command } from '../command.js';
import { loadBundleModel } from '../load-bundle-model.js';
import { requireKnownBackend } from '../planner-setup.js';
import { progressReporter } from '../progress.js';
import { wholeNumber } from './eval.js';
import { writeCalibration, type CalibrationWrite } from './calibrate-write.js';

const HELP = `Usage: cyntra-planner calibrate --dataset FILE --bundle DIR (--out DIR | --in-place) [--type T] [--batch-size N]

Fits one temperature per head (swarm, candidates, minutes, iterations) by minimising the negative log-likelihood of
the labels (label_action) of the dataset's val split under softmax(logits / T), on the model's raw logits
(golden-section search on log T, T in [${T_MIN}, ${T_MAX}]). Writes calibration.json in the bundle's own key style
(spec "temperature" or Python "temperatures"), updates the calibration.json checksum in metadata.json when it lists
one, checks the result with lint, and prints NLL and ECE per head before and after on the test split. Splits as in
\`eval\`: rows sorted by (started_ms, run_id), int(n*0.8) train, int(n*0.1) val, the rest test.

  --dataset FILE    the dataset (dataset.jsonl; bad lines are skipped and listed)
  --bundle DIR      the bundle to calibrate
  --out DIR         write a calibrated copy of the bundle to DIR (must not exist; written atomically)
  --in-place        change the bundle itself; the replaced files are first copied to DIR.calibrate-backup-<time>/
  --type T          backend (default: auto)
  --batch-size N    rows per backend call (default 64)
Changing calibration.json changes the bundle digest: a pinned digest (planner.model.trusted_digests,
lint --expect-sha256) must be updated to the new one, which is printed.
Exit codes: 0 written, 1 the bundle could not be loaded or written, 2 bad usage or no labelled val rows.`;

function usage(message: string): PlannerError {
  return new PlannerError(ErrorCodes.USAGE, `calibrate: ${message}; see \`cyntra-planner calibrate --help\``);
}

async function logitsOf(model: LoadedModel, dataset: Dataset, split: 'val' | 'test', batchSize: number, io: CliIO) {
  const rows = rowsOf(dataset, split).filter((r) => r.label !== null);
  const logits = await rawLogits(
    model,
    rows.map((r) => r.input),
    { batchSize, onProgress: progressReporter(io, `calibrate: ${split}`) },
  );
  for (const [i, l] of logits.entries())
    if ('error' in l)
      io.stderr(
        `cyntra-planner: calibrate: warning: ${dataset.file}:${rows[i].line}: the model failed on this row (${l.error}); the row is skipped\n`,
      );
  return headExamples(rows, logits, model.actionSpace);
}

function summary(
  fits: Record<HeadName, TemperatureFit>,
  before: Temperatures,
  testBefore: Record<HeadName, HeadQuality>,
  testAfter: Record<HeadName, HeadQuality>,
): string[] {
  const rows = HEAD_NAMES.map((h) => [
    h,
    String(fits[h].examples),
    fmt(before[h], 4),
    fmt(fits[h].temperature, 4) +
      (fits[h].atBound ? ' (at bound)' : fits[h].examples === 0 ? ' (kept: no val labels)' : ''),
    String(testAfter[h].examples),
    fmt(testBefore[h].nll, 4),
    fmt(testAfter[h].nll, 4),
    fmt(testBefore[h].ece, 4),
    fmt(testAfter[h].ece, 4),
  ]);
  return table(
    ['head', 'val', 'T before', 'T after', 'test', 'NLL before', 'NLL after', 'ECE before', 'ECE after'],
    rows,
  );
}

/** Fits on val, measures on test, prints the before/after table; the session stays the caller's to dispose. */
async function fitOnDataset(
  model: LoadedModel,
  dataset: Dataset,
  batchSize: number,
  io: CliIO,
): Promise<CalibrationWrite> {
  const before = model.bundle!.calibration ?? UNIT_TEMPERATURES;
  const val = await logitsOf(model, dataset, 'val', batchSize, io);
  const test = await logitsOf(model, dataset, 'test', batchSize, io);
  const fits = fitAllHeads(val, before);
  const after = Object.fromEntries(HEAD_NAMES.map((h) => [h, fits[h].temperature])) as Record<HeadName, number>;
  const quality = (t: Temperatures) =>
    Object.fromEntries(HEAD_NAMES.map((h) => [h, headQuality(test[h], t[h])])) as Record<HeadName, HeadQuality>;
  const testBefore = quality(before);
  const testAfter = quality(after);
  io.stdout(`${summary(fits, before, testBefore, testAfter).join('\n')}\n`);
  return { bundle: model.bundle!, dataset, fits, after, testBefore, testAfter };
}

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: "fit per-head temperatures on a dataset's val split and write calibration.json",
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('calibrate', argv, {
      dataset: { type: 'string' },
      bundle: { type: 'string' },
      out: { type: 'string' },
      'in-place': { type: 'boolean' },
      type: { type: 'string' },
      'batch-size': { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const datasetFile = resolve(io.cwd, requireOption('calibrate', values.dataset, '--dataset'));
    const bundleDir = resolve(io.cwd, requireOption('calibrate', values.bundle, '--bundle'));
    if ((values.out === undefined) === (values['in-place'] !== true))
      throw usage('pass exactly one of --out DIR or --in-place');
    const batchSize = wholeNumber(values['batch-size'], '--batch-size', 1, 64, 'calibrate');
    const target: WriteTarget = values.out !== undefined ? { out: resolve(io.cwd, values.out) } : { inPlace: true };
    if ('out' in target && existsSync(target.out))
      throw usage(`--out ${target.out} already exists; name a new directory, or use --in-place`);
    const registry = deps.registry;
    requireKnownBackend(registry, values.type);
    const dataset = readDataset(datasetFile);
    for (const s of dataset.skipped) io.stderr(`cyntra-planner: calibrate: warning: ${s.message}\n`);
    if (dataset.splitFieldDisagreements > 0)
      io.stderr(
        `cyntra-planner: calibrate: warning: ${dataset.splitFieldDisagreements} rows carry a "split" field that differs from the time split recomputed from (started_ms, run_id); the recomputed split is used\n`,
      );
    if (!rowsOf(dataset, 'val').some((r) => r.label !== null)) {
      throw new PlannerError(
        ErrorCodes.INPUT_INVALID,
        `${datasetFile}: the val split has no labelled row (split sizes train ${dataset.splitCounts.train} / val ${dataset.splitCounts.val} / test ${dataset.splitCounts.test}); nothing to fit on, use a larger dataset`,
        { context: { file: datasetFile } },
      );
    }
    const model = await loadBundleModel(bundleDir, values.type, registry, io.logger);
    const fit = await fitOnDataset(model, dataset, batchSize, io).finally(() => model.session.dispose());
    const result = await writeCalibration(fit, target, registry, io.logger);
    io.stdout(`${result.lines.join('\n')}\n`);
    return result.lintErrors > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
