/** What `eval` feeds the report builders: the split's rows and, per bundle, its decoded rows or its load failure. */
import type { ActionSpace } from '../action-space.js';
import type { Dataset, DatasetRow } from './dataset-reader.js';
import type { SplitSelection } from './dataset-split.js';
import type { ModelRowResult } from './model-predictions.js';

export interface LoadedBundleResult {
  readonly status: 'ok';
  readonly bundle: string;
  readonly backend: string;
  readonly checkpointId: string;
  readonly confidenceMode: 'geomean' | 'min';
  readonly actionSpace: ActionSpace;
  /** One result per row of `EvalInput.rows`, in order. */
  readonly results: readonly ModelRowResult[];
}

export interface FailedBundleResult {
  readonly status: 'failed';
  readonly bundle: string;
  readonly code: string;
  readonly message: string;
}

export type BundleResult = LoadedBundleResult | FailedBundleResult;

export interface EvalOptions {
  readonly split: SplitSelection;
  readonly targetCoverage: number;
  readonly bootstrapResamples: number;
  readonly seed: number;
  /** ISO time written into the reports. */
  readonly generatedAt: string;
}

export interface EvalInput {
  readonly dataset: Dataset;
  /** The rows of the selected split. */
  readonly rows: readonly DatasetRow[];
  readonly bundles: readonly BundleResult[];
  readonly options: EvalOptions;
}

export const EVAL_REPORT_SCHEMA_VERSION = 'cyntra.planner_eval_report.v1';
export const OUTCOME_EVAL_SCHEMA_VERSION = 'cyntra.planner_outcome_eval.v1';

/** $ids of the report schemas (schemas/). */
export const EvalSchemaIds = {
  evalReport: 'https://cyntra/schemas/cyntra/planner_eval_report.schema.json',
  outcomeEval: 'https://cyntra/schemas/cyntra/planner_outcome_eval.schema.json',
  evalOutput: 'https://cyntra-planner/schemas/eval-output.json',
} as const;
