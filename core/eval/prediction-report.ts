/**
 * Builds `cyntra.planner_eval_report.v1` (schemas/planner_eval_report.schema.json): §13.1 metrics of the baselines
 * and of each bundle, plus what the Python tool lacks: a threshold sweep with a recommended threshold, a
 * reliability table (confidence vs exact match, ECE) and a bootstrap interval of the exact-match difference.
 */
import { sameAction } from './action-data.js';
import { BASELINE_NAMES, baselineAction, type BaselineName } from './baselines.js';
import { bootstrapMeanDiff } from './bootstrap.js';
import { modelChoice } from './candidate-choice.js';
import type { DatasetRow } from './dataset-reader.js';
import { EVAL_REPORT_SCHEMA_VERSION, type EvalInput, type LoadedBundleResult } from './eval-types.js';
import type { ModelRow } from './model-predictions.js';
import { decodeJobType } from '../decode-job-type.js';
import { chosenOutcome } from './outcome-metrics.js';
import { confidenceSummary, predictionMetrics, type PredictionMetrics } from './prediction-metrics.js';
import { reliability } from './reliability.js';
import { recommendThreshold, thresholdSweep, type SweepRow } from './threshold-sweep.js';

type Labelled = DatasetRow & { readonly label: NonNullable<DatasetRow['label']> };

function labelled(rows: readonly DatasetRow[]): Labelled[] {
  return rows.filter((r): r is Labelled => r.label !== null);
}

function baselineMetrics(name: BaselineName, rows: readonly Labelled[]): PredictionMetrics {
  return predictionMetrics(rows.map((r) => ({ predicted: baselineAction(name, r.input), gold: r.label })));
}

/** The rows the bundle predicted, with their model result. */
export function predictedRows(input: EvalInput, bundle: LoadedBundleResult): { row: DatasetRow; model: ModelRow }[] {
  return input.rows.flatMap((row, i) => {
    const r = bundle.results[i];
    return 'error' in r ? [] : [{ row, model: r }];
  });
}

function sweepRows(bundle: LoadedBundleResult, rows: readonly { row: DatasetRow; model: ModelRow }[]): SweepRow[] {
  return rows.map(({ row, model }) => {
    const heuristic = baselineAction('heuristic', row.input);
    const outcome = row.bench
      ? chosenOutcome(row.bench, modelChoice(row.bench, model, bundle.actionSpace, decodeJobType(row.input.job_type)))
      : null;
    return {
      confidence: model.confidence,
      modelExact: row.label ? sameAction(model.action, row.label) : null,
      heuristicExact: row.label ? sameAction(heuristic, row.label) : null,
      modelPass: outcome ? outcome.verified : null,
      baselinePass: row.bench ? row.bench[0].verified : null,
    };
  });
}

function bundleSection(input: EvalInput, bundle: LoadedBundleResult): Record<string, unknown> {
  const rows = predictedRows(input, bundle);
  const withLabel = rows.filter((r) => r.row.label !== null);
  const sweep = sweepRows(bundle, rows);
  const labelledSweep = sweep.filter((s) => s.modelExact !== null);
  const { bootstrapResamples, seed, targetCoverage } = input.options;
  return {
    bundle: bundle.bundle,
    status: 'ok',
    backend: bundle.backend,
    checkpoint_id: bundle.checkpointId,
    confidence_mode: bundle.confidenceMode,
    metrics: predictionMetrics(withLabel.map((r) => ({ predicted: r.model.action, gold: r.row.label! }))),
    heuristic_on_same_rows: predictionMetrics(
      withLabel.map((r) => ({ predicted: baselineAction('heuristic', r.row.input), gold: r.row.label! })),
    ),
    confidence: confidenceSummary(rows.map((r) => r.model.confidence)),
    failed_rows: input.rows.flatMap((row, i) => {
      const r = bundle.results[i];
      return 'error' in r ? [{ line: row.line, error: r.error }] : [];
    }),
    threshold_sweep: thresholdSweep(sweep),
    recommended_threshold: recommendThreshold(sweep, targetCoverage),
    reliability: reliability(labelledSweep.map((s) => ({ confidence: s.confidence, correct: s.modelExact! }))),
    bootstrap_exact_match_diff: bootstrapMeanDiff(
      labelledSweep.map((s) => ({ model: Number(s.modelExact), baseline: Number(s.heuristicExact) })),
      bootstrapResamples,
      seed,
    ),
  };
}

export function buildEvalReport(input: EvalInput): Record<string, unknown> {
  const { dataset, rows, options } = input;
  const withLabel = labelled(rows);
  return {
    schema_version: EVAL_REPORT_SCHEMA_VERSION,
    generated_at: options.generatedAt,
    dataset: dataset.file,
    dataset_sha256: dataset.sha256,
    split: options.split,
    split_counts: dataset.splitCounts,
    rows: {
      in_split: rows.length,
      labelled: withLabel.length,
      benched: rows.filter((r) => r.bench !== null).length,
      skipped_count: dataset.skipped.length,
      split_field_disagreements: dataset.splitFieldDisagreements,
      skipped: dataset.skipped.map((s) => ({ line: s.line, reason: s.reason, message: s.message })),
    },
    baselines: Object.fromEntries(BASELINE_NAMES.map((n) => [n, baselineMetrics(n, withLabel)])),
    bundles: input.bundles.map((b) =>
      b.status === 'ok'
        ? bundleSection(input, b)
        : { bundle: b.bundle, status: 'failed', error: { code: b.code, message: b.message } },
    ),
  };
}
