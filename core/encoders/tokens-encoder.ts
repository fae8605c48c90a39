/** The InputEncoder for tokens.v1: tokenize (reference §3.A), map through the bundle's vocab, pad/truncate to seq_len. */
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { InputEncoder, TokensBatch } from './encoder.js';
import { encodeItem } from './batch-error.js';
import { createHashMemo } from './hash-bucket.js';
import { tokenizePlannerInput, type TokenizeOptions } from './tokenize.js';
import { encodeTokenIdsInto, type Vocab } from './vocab.js';

export const MAX_SEQ_LEN = 1 << 16;

export function createTokensEncoder(
  vocab: Vocab,
  seqLen: number,
  opts: Omit<TokenizeOptions, 'memo'> = {},
): InputEncoder {
  if (!Number.isInteger(seqLen) || seqLen < 1 || seqLen > MAX_SEQ_LEN) {
    throw new PlannerError(
      ErrorCodes.ENCODER_DIM_MISMATCH,
      `tokens.v1 seq_len must be an integer in [1, ${MAX_SEQ_LEN}], got ${String(seqLen)}; check the model's input_ids shape`,
      { context: { seqLen } },
    );
  }
  const memo = createHashMemo();
  return {
    id: 'tokens.v1',
    kind: 'tokens',
    encodeBatch(inputs: readonly PlannerInputV1[]): TokensBatch {
      const size = inputs.length;
      const inputIds = new BigInt64Array(size * seqLen);
      const attentionMask = new BigInt64Array(size * seqLen);
      const tokens: string[][] = [];
      for (let row = 0; row < size; row++) {
        const t = encodeItem(row, 'tokens.v1', () => tokenizePlannerInput(inputs[row], { ...opts, memo }));
        tokens.push(t);
        encodeTokenIdsInto(t, vocab, seqLen, inputIds, attentionMask, row);
      }
      return { kind: 'tokens', size, seqLen, inputIds, attentionMask, tokens };
    },
  };
}
