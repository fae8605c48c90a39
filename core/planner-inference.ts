/**
 * PlannerInference: the safety gate around a backend. `predict` never throws: the heuristic answers, with
 * `abstain_to_default: true` and one of the spec's reasons, whenever the model is missing (`model_unavailable`),
 * slow (`inference_timeout`), failing (`inference_error_<ErrorName>`) or unsure (`low_confidence_<c>`).
 * Safety caps apply to every action that leaves, and every cap is recorded.
 */
import type { PlannerAction } from './action.js';
import type { ActionSpace } from './action-space.js';
import type { BackendRegistry } from './backend/registry.js';
import type { Bundle } from './bundle/bundle-types.js';
import type { InputEncoder } from './encoders/encoder.js';
import { applyCaps, joinReason } from './caps.js';
import { inputHash } from './canonical-json.js';
import type { DecodeResult } from './decode.js';
import { describeError } from './errors.js';
import { HEURISTIC_CHECKPOINT_ID, heuristicAction } from './heuristic-baseline.js';
import type { InferenceConfig } from './inference-config.js';
import { silentLogger, type Logger } from './logger.js';
import { isHeuristic, loadModel, type LoadAttempt, type LoadedModel } from './model-loader.js';
import type { PlannerInputV1 } from './planner-input-types.js';
import { plannerActionRecord, type PlannerActionRecord } from './records.js';
import { SchemaRegistry } from './schemas.js';
import { runInference, type InferenceTimings } from './run-inference.js';
import { loadIsolatedModel, type IsolationOptions } from './isolation/load-isolated-model.js';

export interface PredictTrace {
  readonly backend: string;
  readonly requestedBackend: string;
  readonly backendInfo: Readonly<Record<string, unknown>>;
  readonly reason: string | null;
  readonly modelAction: DecodeResult['action'] | null;
  readonly confidence: number | null;
  readonly probs: DecodeResult['probs'] | null;
  readonly capsApplied: readonly string[];
  readonly timings: InferenceTimings;
  readonly error: string | null;
}

export interface PredictOutcome {
  readonly action: PlannerAction;
  readonly record: PlannerActionRecord;
  readonly trace: PredictTrace;
}

export interface PlannerDeps {
  readonly registry: BackendRegistry;
  readonly logger?: Logger;
  readonly schemas?: SchemaRegistry;
  /** Epoch ms; injected for reproducible records. */
  readonly clock?: () => number;
  /** Where `isolation: process` workers get their backends from (default: the built-in plugins). */
  readonly isolation?: IsolationOptions;
  /** Called after each batch that reached the backend, with the time of each stage (benchmarks, metrics). */
  readonly onBatch?: (stages: BatchStages) => void;
}

/** Wall time of each stage of one `predictMany` batch, ms. */
export interface BatchStages extends InferenceTimings {
  readonly size: number;
  /**
   * canonical JSON + SHA-256 of every input (the records' `input_hash`), done while the backend call is in flight;
   * `inferMs` is what is left of the call after it (the main thread's wait).
   */
  readonly hashMs: number;
  /** Gate, caps and records for the whole batch. */
  readonly gateMs: number;
  /** Wall time of the encode → infer → decode call, hashing included (it overlaps the backend call). */
  readonly callMs: number;
}

interface FinishExtra {
  readonly decoded?: DecodeResult;
  readonly timings?: InferenceTimings;
  readonly error?: string;
  /** Precomputed record hash of the input. */
  readonly inputHash?: string;
}

export class PlannerInference {
  private constructor(
    readonly config: InferenceConfig,
    private readonly model: LoadedModel,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly onBatch?: (stages: BatchStages) => void,
  ) {}

  static async create(config: InferenceConfig, deps: PlannerDeps): Promise<PlannerInference> {
    const logger = deps.logger ?? silentLogger;
    const loaderDeps = { registry: deps.registry, logger, schemas: deps.schemas ?? new SchemaRegistry() };
    const model =
      config.isolation === 'process'
        ? await loadIsolatedModel(config, { ...loaderDeps, isolation: deps.isolation })
        : await loadModel(config, loaderDeps);
    logger.info(
      { backend: model.plugin.name, loadMs: Math.round(model.loadMs), failedAttempts: model.attempts.length },
      'planner backend ready',
    );
    return new PlannerInference(config, model, logger, deps.clock ?? Date.now, deps.onBatch);
  }

  /** Name of the backend that answers. */
  get backend(): string {
    return this.model.plugin.name;
  }

  get actionSpace(): ActionSpace {
    return this.model.actionSpace;
  }

  /** Failed load attempts before the backend that answers (empty when the requested one loaded). */
  get attempts(): readonly LoadAttempt[] {
    return this.model.attempts;
  }

  /** The encoder this model's inputs go through (what `encode` prints). */
  get encoder(): InputEncoder {
    return this.model.encoder;
  }

  /** The bundle the model was loaded from; null for the heuristic (or when the model is unavailable). */
  get bundle(): Bundle | null {
    return this.model.bundle;
  }

  get loadMs(): number {
    return this.model.loadMs;
  }

  /** True when the configured model could not be loaded and the heuristic stands in for it. */
  get modelUnavailable(): boolean {
    return isHeuristic(this.model.plugin) && this.model.attempts.length > 0;
  }

  async predict(input: PlannerInputV1): Promise<PredictOutcome> {
    return (await this.predictMany([input]))[0];
  }

  /** One encode and one backend call for the whole batch. Never throws. */
  async predictMany(inputs: readonly PlannerInputV1[]): Promise<PredictOutcome[]> {
    if (inputs.length === 0) return [];
    if (this.modelUnavailable) return inputs.map((i) => this.baseline(i, 'model_unavailable'));
    // Hashed while the backend call is in flight (whileRunning): a session off this thread (onnx `runIn: worker`,
    // `isolation: process`) runs meanwhile; an in-thread session.run starts in a setImmediate, i.e. after the hash,
    // so the hash still runs before the weights stream through the CPU caches (hashing after the run measured 2-3x
    // slower, docs/performance.md). Not part of the inference time budget (see run-inference.ts).
    const t0 = performance.now();
    let hashes: string[] = [];
    const run = await runInference(this.model, inputs, {
      timeoutMs: this.config.timeoutMs,
      useCalibration: this.config.useCalibration,
      whileRunning: () => (hashes = inputs.map((input) => inputHash(input as never))),
    });
    const t1 = performance.now();
    const outcomes = inputs.map((input, i) => {
      const r = run.results[i];
      if ('error' in r) {
        this.logger.warn(
          { backend: this.backend, reason: r.reason, err: describeError(r.error) },
          'inference fell back to the heuristic',
        );
        return this.baseline(input, r.reason, {
          timings: run.timings,
          error: describeError(r.error),
          inputHash: hashes[i],
        });
      }
      return this.gate(input, r.decoded, run.timings, hashes[i]);
    });
    if (this.onBatch)
      this.report({
        ...run.timings,
        size: inputs.length,
        hashMs: run.overlapMs,
        gateMs: performance.now() - t1,
        callMs: t1 - t0,
      });
    return outcomes;
  }

  private report(stages: BatchStages): void {
    try {
      this.onBatch?.(stages);
    } catch (err) {
      this.logger.warn({ err: describeError(err) }, 'the onBatch hook threw; ignored');
    }
  }

  /** The heuristic's action, capped, as an abstention with `reason` (null: the heuristic was asked for). */
  baseline(input: PlannerInputV1, reason: string | null, extra: FinishExtra = {}): PredictOutcome {
    const tuple = heuristicAction(input, this.actionSpace);
    return this.finish(
      input,
      { ...tuple, confidence: 1, abstain_to_default: reason !== null },
      reason,
      HEURISTIC_CHECKPOINT_ID,
      extra,
    );
  }

  async dispose(): Promise<void> {
    await this.model.session.dispose();
  }

  private gate(input: PlannerInputV1, decoded: DecodeResult, timings: InferenceTimings, hash: string): PredictOutcome {
    if (isHeuristic(this.model.plugin)) return this.baseline(input, null, { decoded, timings, inputHash: hash });
    if (decoded.confidence < this.config.confidenceThreshold) {
      return this.baseline(input, `low_confidence_${decoded.confidence.toFixed(3)}`, {
        decoded,
        timings,
        inputHash: hash,
      });
    }
    const action = { ...decoded.action, confidence: decoded.confidence, abstain_to_default: false };
    return this.finish(input, action, null, this.checkpointId(), { decoded, timings, inputHash: hash });
  }

  private finish(
    input: PlannerInputV1,
    action: Omit<PlannerAction, 'reason' | 'caps_applied'>,
    reason: string | null,
    checkpointId: string,
    extra: FinishExtra,
  ): PredictOutcome {
    const capped = applyCaps(action, this.config.caps, this.actionSpace);
    const final: PlannerAction = {
      ...action,
      ...capped.action,
      reason: joinReason(reason, capped.applied),
      caps_applied: capped.applied,
    };
    // `probs` describe the recorded action only when it is the decoded one; a fallback's record carries none (the
    // model's distribution stays in the trace, and the kernel keeps the model's own decode as `model_action`).
    const probs = action.abstain_to_default ? null : (extra.decoded?.probs ?? null);
    const record = plannerActionRecord(final, {
      input,
      checkpointId,
      now: this.clock(),
      probs,
      inputHash: extra.inputHash ?? inputHash(input as never),
    });
    const trace: PredictTrace = {
      backend: this.backend,
      requestedBackend: this.config.modelType,
      backendInfo: this.model.session.info,
      reason: final.reason,
      modelAction: extra.decoded?.action ?? null,
      confidence: extra.decoded?.confidence ?? null,
      probs: extra.decoded?.probs ?? null,
      capsApplied: capped.applied,
      timings: extra.timings ?? { encodeMs: 0, inferMs: 0, decodeMs: 0, totalMs: 0 },
      error: extra.error ?? null,
    };
    return { action: final, record, trace };
  }

  private checkpointId(): string {
    const meta = this.model.bundle?.json['metadata.json'] as { model_name?: unknown } | undefined;
    return typeof meta?.model_name === 'string' ? meta.model_name : (this.model.bundle?.checkpointId ?? this.backend);
  }
}
