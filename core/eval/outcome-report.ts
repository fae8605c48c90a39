/**
 * Builds `cyntra.planner_outcome_eval.v1` (schemas/planner_outcome_eval.schema.json) over the split's benched rows:
 * §13.4 metrics of the baseline policy (first candidate), the oracle and each bundle, with paired bootstrap 95%
 * intervals of the model-minus-baseline pass rate and regret. Python's top-level `onnx_bundle`/`model` are written
 * when exactly one bundle was evaluated; `bundles` always lists every one. Null when no row of the split is benched.
 */
import type { BenchCandidate, DatasetRow } from './dataset-reader.js';
import { bootstrapMeanDiff } from './bootstrap.js';
import { modelChoice } from './candidate-choice.js';
import { OUTCOME_EVAL_SCHEMA_VERSION, type EvalInput, type LoadedBundleResult } from './eval-types.js';
import { decodeJobType } from '../decode-job-type.js';
import { chosenOutcome, oracleIndex, outcomeMetrics, type ChosenOutcome } from './outcome-metrics.js';

type Benched = DatasetRow & { readonly bench: readonly BenchCandidate[] };

function benched(rows: readonly DatasetRow[]): Benched[] {
  return rows.filter((r): r is Benched => r.bench !== null);
}

function bundleSection(input: EvalInput, bundle: LoadedBundleResult): Record<string, unknown> {
  const pairs: { model: ChosenOutcome; baseline: ChosenOutcome }[] = [];
  input.rows.forEach((row, i) => {
    const r = bundle.results[i];
    if (row.bench === null || 'error' in r) return;
    const choice = modelChoice(row.bench, r, bundle.actionSpace, decodeJobType(row.input.job_type));
    pairs.push({ model: chosenOutcome(row.bench, choice), baseline: chosenOutcome(row.bench, 0) });
  });
  const { bootstrapResamples: n, seed } = input.options;
  return {
    bundle: bundle.bundle,
    status: 'ok',
    backend: bundle.backend,
    checkpoint_id: bundle.checkpointId,
    model: outcomeMetrics(pairs.map((p) => p.model)),
    baseline_on_same_rows: outcomeMetrics(pairs.map((p) => p.baseline)),
    bootstrap: {
      pass_rate_diff: bootstrapMeanDiff(
        pairs.map((p) => ({ model: Number(p.model.verified), baseline: Number(p.baseline.verified) })),
        n,
        seed,
      ),
      mean_regret_ms_diff: bootstrapMeanDiff(
        pairs.map((p) => ({ model: p.model.regretMs, baseline: p.baseline.regretMs })),
        n,
        seed,
      ),
    },
  };
}

export function buildOutcomeReport(input: EvalInput): Record<string, unknown> | null {
  const rows = benched(input.rows);
  if (rows.length === 0) return null;
  const bundles = input.bundles.map((b) =>
    b.status === 'ok'
      ? bundleSection(input, b)
      : { bundle: b.bundle, status: 'failed', error: { code: b.code, message: b.message } },
  );
  const ok = bundles.filter((b) => b.status === 'ok');
  const single = input.bundles.length === 1 && ok.length === 1 ? { onnx_bundle: ok[0].bundle, model: ok[0].model } : {};
  return {
    schema_version: OUTCOME_EVAL_SCHEMA_VERSION,
    generated_at: input.options.generatedAt,
    dataset: input.dataset.file,
    split: input.options.split,
    examples: rows.length,
    baseline: outcomeMetrics(rows.map((r) => chosenOutcome(r.bench, 0))),
    oracle: outcomeMetrics(rows.map((r) => chosenOutcome(r.bench, oracleIndex(r.bench)))),
    ...single,
    bundles,
  };
}
