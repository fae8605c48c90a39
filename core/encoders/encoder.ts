/**
 * The encoder slot: turns planner inputs into the tensors a backend session consumes.
 * `features.v1` (float vector, docs/features-v1.md) and `tokens.v1` (the Python planner's token ids) implement it.
 */
import type { PlannerInputV1 } from '../planner-input-types.js';

export type EncoderId = 'features.v1' | 'tokens.v1' | 'raw';

export interface FeaturesBatch {
  readonly kind: 'features';
  readonly size: number;
  readonly dIn: number;
  /** Row-major [size, dIn]. */
  readonly data: Float32Array;
}

export interface TokensBatch {
  readonly kind: 'tokens';
  readonly size: number;
  readonly seqLen: number;
  /** Row-major [size, seqLen], int64 as the Python planner's ONNX graph expects. */
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  /** The token strings of each input, before id mapping (after the 1024 cap, before seq_len truncation). */
  readonly tokens: readonly (readonly string[])[];
}

/** For backends that read the planner input itself (the heuristic). */
export interface RawBatch {
  readonly kind: 'raw';
  readonly size: number;
}

export type EncodedBatch = FeaturesBatch | TokensBatch | RawBatch;

export interface InputEncoder {
  readonly id: EncoderId;
  readonly kind: EncodedBatch['kind'];
  /** Pure: no clock, no randomness. Throws PlannerError(ENCODER_INVALID_INPUT) on input it cannot encode. */
  encodeBatch(inputs: readonly PlannerInputV1[]): EncodedBatch;
}
