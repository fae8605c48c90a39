/**
 * The public API of cyntra-planner. One explicit barrel: named exports, types with `export type`.
 */
export { NA, HEAD_NAMES, PYTHON_HEAD_KEYS, isNA, tupleJson } from './action.js';
export type { ActionTuple, BudgetBin, HeadName, PlannerAction } from './action.js';
export {
  ActionSpace,
  DEFAULT_CANDIDATES_BINS,
  DEFAULT_ITERATIONS_BINS,
  DEFAULT_MINUTES_BINS,
  DEFAULT_SWARM_IDS,
  mapToBin,
  parseBins,
  validityRulesV1,
} from './action-space.js';
export type { ActionSpaceInit, BinHead } from './action-space.js';
export { parseCalibration, UNIT_TEMPERATURES } from './calibration.js';
export type { Temperatures } from './calibration.js';
export { applyCaps, joinReason } from './caps.js';
export type { CapResult } from './caps.js';
export { canonicalJson, inputHash, pythonNumber } from './canonical-json.js';
export { confidenceOf, decodeJoint, softmax, validateLogits } from './decode.js';
export type { ConfidenceMode, DecodeOptions, DecodeResult } from './decode.js';
export {
  ERROR_CATALOGUE,
  ErrorCodes,
  InferenceTimeoutError,
  InvalidLogitsError,
  PlannerError,
  describeError,
  exitClassOf,
  isErrorCode,
  isPlannerError,
} from './errors.js';
export type { CatalogueEntry, ErrorCatalogue, ErrorCode, ExitClass, PlannerErrorOptions } from './errors.js';
export { HEURISTIC_CHECKPOINT_ID, heuristicAction } from './heuristic-baseline.js';
export { INFERENCE_DEFAULTS, resolveInferenceConfig } from './inference-config.js';
export type { InferenceConfig, InferenceConfigInput, Isolation, SafetyCaps } from './inference-config.js';
export { createMemoryLogger, silentLogger } from './logger.js';
export type { LogEntry, LogFn, Logger } from './logger.js';
export { LAYER_NORM_EPS, HEAD_MODULE, dimsFromConfig, expectedStateDict, trunkWidths } from './mlp-policy.js';
export type { DenseWeights, MlpPolicyDims, MlpPolicyWeights, TrunkBlockWeights } from './mlp-policy.js';
export { loadModel } from './model-loader.js';
export type { AttemptStage, LoadAttempt, LoadedModel } from './model-loader.js';
export {
  DK_PRIORITIES,
  DK_RISKS,
  DK_SIZES,
  binCount,
  buildPlannerInput,
  hourBucket,
  jobTypeOf,
  plannerIssue,
} from './planner-input.js';
export type { BuildPlannerInputOptions } from './planner-input.js';
export type {
  ActionSpaceJson,
  DkPriority,
  DkRisk,
  DkSize,
  Issue,
  PlannerInputV1,
  PlannerIssue,
  RunGate,
  RunStatus,
  RunSummary,
  SystemState,
  UniverseDefaults,
  ValidityRule,
} from './planner-input-types.js';
export { PlannerInference } from './planner-inference.js';
export type { BatchStages, PlannerDeps, PredictOutcome, PredictTrace } from './planner-inference.js';
export { plannerActionRecord } from './records.js';
export type { ActionRecordContext, ExecutedPlanRecord, PlannerActionRecord } from './records.js';
export { reasonFor } from './run-inference.js';
export type { InferenceTimings } from './run-inference.js';
export { SchemaIds, SchemaRegistry, createSchemaRegistry } from './schemas.js';
export type { ValidationResult } from './schemas.js';
export { parseRfc3339, rfc3339 } from './time.js';
export { BackendRegistry, HEURISTIC_BACKEND } from './backend/registry.js';
export type { BackendAvailability } from './backend/registry.js';
export { PLUGIN_API_VERSION, isBackendPlugin, pluginShapeProblems } from './backend/plugin.js';
export type {
  BackendPlugin,
  BackendSession,
  HeadLogits,
  InferBatch,
  InferOptions,
  LintProblem,
  PluginContext,
  SessionContext,
  SessionInputSpec,
} from './backend/plugin.js';
export { DEFAULT_PLUGIN_LOAD_TIMEOUT_MS, loadPluginPackages } from './backend/load-plugins.js';
export type { LoadPluginOptions } from './backend/load-plugins.js';
export { resolvePluginUrl } from './backend/resolve-plugin.js';
export { CORE_BUNDLE_JSON_FILES, withPluginJsonFiles } from './bundle/plugin-json-files.js';
export { loadBundle } from './bundle/load-bundle.js';
export type { LoadBundleOptions } from './bundle/load-bundle.js';
export type { Bundle, BundleConfig, BundleFileInfo, BundleFlavor, BundleView } from './bundle/bundle-types.js';
export type {
  EncodedBatch,
  EncoderId,
  FeaturesBatch,
  InputEncoder,
  RawBatch,
  TokensBatch,
} from './encoders/encoder.js';
export {
  ENCODER_KINDS,
  createEncoderForBundle,
  createRawEncoder,
  encodeForCli,
  selectEncoderKind,
} from './encoders/select-encoder.js';
export type { CliEncoding, EncoderKind } from './encoders/select-encoder.js';
export { FEATURES_V1_DIM, createFeaturesEncoder, encodeFeatures } from './encoders/features-encoder.js';
export type { FeaturesEncoderOptions } from './encoders/features-encoder.js';
export { createTokensEncoder } from './encoders/tokens-encoder.js';
export {
  FIXED_VOCAB_SIZE,
  SPECIAL_TOKENS,
  VOCAB_SCHEMA_VERSION,
  parseVocab,
  vocabFromTokens,
} from './encoders/vocab.js';
export type { Vocab } from './encoders/vocab.js';
export { loadIsolatedModel } from './isolation/load-isolated-model.js';
export type { IsolationOptions } from './isolation/load-isolated-model.js';
export { LINT_FORMATS, formatReport, isLintFormat, lintBundle, lintBundles } from './lint/index.js';
export type { BundleLintResult, LintFormat, LintOptions, LintReport } from './lint/index.js';
export { inferenceConfigOf, runKernel } from './kernel/kernel.js';
export type { KernelDeps, KernelReport } from './kernel/kernel.js';
export {
  DEFAULT_CONFIG_FILE,
  KERNEL_CONFIG_SCHEMA_ID,
  loadKernelConfig,
  parseKernelConfig,
} from './kernel/load-config.js';
export type { LoadConfigOptions, LoadedKernelConfig } from './kernel/load-config.js';
export { resolveKernelConfig } from './kernel/resolve-config.js';
export type {
  ConfigWarning,
  KernelConfig,
  KernelSection,
  PlannerMode,
  PlannerSection,
  RunnerSection,
} from './kernel/kernel-config-types.js';
export { applyCliOverrides, plannerMode } from './kernel/cli-overrides.js';
export type { CliOverrides } from './kernel/cli-overrides.js';
export { readIssues } from './kernel/issue-source.js';
export { MANIFEST_SCHEMA_ID, MANIFEST_SCHEMA_VERSION, dispatch, executedPlanOf } from './kernel/dispatcher.js';
export type { Dispatch, WorkcellManifest } from './kernel/dispatcher.js';
export { Scheduler } from './kernel/scheduler.js';
export type { IssuePlan, SchedulerDeps } from './kernel/scheduler.js';
export { SIMILAR_RUNS_N, selectSimilarRuns, similarityScore } from './kernel/similar-runs.js';
export { RUN_SUMMARY_SCHEMA_ID, readRunSummaries } from './kernel/run-summaries.js';
export { readDataset, rowsOf } from './eval/dataset-reader.js';
export type { BenchCandidate, Dataset, DatasetRow, SkippedRow } from './eval/dataset-reader.js';
export { assignSplits, splitCounts } from './eval/dataset-split.js';
export { predictionMetrics } from './eval/prediction-metrics.js';
export { chosenOutcome, oracleIndex, outcomeMetrics } from './eval/outcome-metrics.js';
export { buildEvalReport } from './eval/prediction-report.js';
export { buildOutcomeReport } from './eval/outcome-report.js';
export { EVAL_REPORT_SCHEMA_VERSION, EvalSchemaIds, OUTCOME_EVAL_SCHEMA_VERSION } from './eval/eval-types.js';
export { fitTemperature } from './eval/temperature-fit.js';
