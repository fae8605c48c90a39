/**
 * Picks and builds the encoder a bundle declares: `config.json` `encoder` wins; else `vocab.json` present ⇒
 * tokens.v1; else features.v1. Also the raw encoder (heuristic-style sessions) and the `encode` CLI's JSON view.
 */
import type { SessionInputSpec } from '../backend/plugin.js';
import type { Bundle } from '../bundle/bundle-types.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { InputEncoder, RawBatch } from './encoder.js';
import { createFeaturesEncoder } from './features-encoder.js';
import { createTokensEncoder } from './tokens-encoder.js';
import { parseVocab } from './vocab.js';

export type EncoderKind = 'features.v1' | 'tokens.v1';
export const ENCODER_KINDS: readonly EncoderKind[] = ['features.v1', 'tokens.v1'];
/** Coded error for a config.json `encoder` this project does not know. */
export const ENCODER_UNKNOWN = ErrorCodes.ENCODER_UNKNOWN;

export interface BundleLike {
  readonly config: { readonly encoder?: unknown } | null;
  readonly files: Readonly<Record<string, unknown>>;
}

export function selectEncoderKind(bundle: BundleLike): EncoderKind {
  const declared = bundle.config?.encoder;
  if (declared !== undefined && declared !== null) {
    if (typeof declared === 'string' && (ENCODER_KINDS as readonly string[]).includes(declared))
      return declared as EncoderKind;
    throw new PlannerError(
      ENCODER_UNKNOWN,
      `config.json "encoder" is ${JSON.stringify(declared)}; known encoders: ${ENCODER_KINDS.join(', ')}`,
      { context: { file: 'config.json', keyPath: '/encoder' } },
    );
  }
  return Object.prototype.hasOwnProperty.call(bundle.files, 'vocab.json') ? 'tokens.v1' : 'features.v1';
}

export function createRawEncoder(): InputEncoder {
  return {
    id: 'raw',
    kind: 'raw',
    encodeBatch(inputs: readonly PlannerInputV1[]): RawBatch {
      return { kind: 'raw', size: inputs.length };
    },
  };
}

/** The encoder for a session: checks the bundle's declared encoder, d_in and vocab against what the session eats. */
export function createEncoderForBundle(bundle: Bundle | null, session: SessionInputSpec): InputEncoder {
  if (session.kind === 'raw') return createRawEncoder();
  const declared = bundle === null ? null : selectEncoderKind(bundle);
  const wanted: EncoderKind = session.kind === 'tokens' ? 'tokens.v1' : 'features.v1';
  if (declared !== null && declared !== wanted) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_SHAPE_MISMATCH,
      `bundle ${bundle?.dir ?? ''} declares encoder ${declared}, but its model takes ${session.kind} input (${wanted}); fix config.json "encoder" or the model`,
      { context: { file: 'config.json', declared, wanted } },
    );
  }
  return session.kind === 'tokens' ? tokensFor(bundle, session.seqLen) : featuresFor(bundle, session.dIn);
}

function tokensFor(bundle: Bundle | null, seqLen: number): InputEncoder {
  const where = bundle === null ? 'vocab.json' : `${bundle.dir}/vocab.json`;
  const json = bundle?.json['vocab.json'];
  if (json === undefined) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_FILE_MISSING,
      `${where} is missing; a tokens.v1 model needs the vocab.json it was trained with`,
      { context: { file: where } },
    );
  }
  return createTokensEncoder(parseVocab(json, where), seqLen);
}

function featuresFor(bundle: Bundle | null, sessionDIn: number): InputEncoder {
  const configDIn = bundle?.config?.d_in;
  if (configDIn !== undefined && configDIn !== sessionDIn) {
    const file = `${bundle?.dir ?? ''}/config.json`;
    throw new PlannerError(
      ErrorCodes.ENCODER_DIM_MISMATCH,
      `${file} declares d_in ${String(configDIn)}, but the model's input takes ${sessionDIn} features; the bundle is inconsistent, re-export it`,
      { context: { file, keyPath: '/d_in', config: configDIn, model: sessionDIn } },
    );
  }
  const source = configDIn !== undefined ? `${bundle?.dir ?? ''}/config.json d_in` : 'the model input';
  return createFeaturesEncoder({ dIn: sessionDIn, dInSource: source });
}

export type CliEncoding =
  | { kind: 'features'; features: number[] }
  | { kind: 'tokens'; tokens: string[]; input_ids: number[]; attention_mask: number[] }
  | { kind: 'raw' };

/** What `cyntra-planner encode` prints for one input (plain numbers, never bigints). */
export function encodeForCli(encoder: InputEncoder, input: PlannerInputV1): CliEncoding {
  const batch = encoder.encodeBatch([input]);
  if (batch.kind === 'features') return { kind: 'features', features: Array.from(batch.data.subarray(0, batch.dIn)) };
  if (batch.kind === 'tokens') {
    return {
      kind: 'tokens',
      tokens: [...batch.tokens[0]],
      input_ids: Array.from(batch.inputIds.subarray(0, batch.seqLen), Number),
      attention_mask: Array.from(batch.attentionMask.subarray(0, batch.seqLen), Number),
    };
  }
  return { kind: 'raw' };
}
