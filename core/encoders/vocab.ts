/**
 * tokens.v1 step 2 (reference §3.A): `vocab.json` (`cyntra.vocab.v1`) and token → `input_ids`/`attention_mask`.
 * The loader uses only `tokens`; pad/unk ids are the positions of `[PAD]`/`[UNK]`, else 0/1, as in the Python planner.
 */
import { ErrorCodes, PlannerError } from '../errors.js';
import { isRecord } from './record.js';

export const VOCAB_SCHEMA_VERSION = 'cyntra.vocab.v1';
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[BOS]', '[SEP]', '[EOS]', '[=]'] as const;
export const RUN_TOKEN_COUNT = 16;
export const HASH_TOKEN_PREFIXES = ['TAG_HASH', 'KW_HASH', 'FAIL_HASH', 'GATE_HASH'] as const;
export const HASH_BUCKETS = 1024;
export const FIXED_VOCAB_SIZE = SPECIAL_TOKENS.length + RUN_TOKEN_COUNT + HASH_TOKEN_PREFIXES.length * HASH_BUCKETS; // 4118

export interface Vocab {
  readonly tokens: readonly string[];
  readonly tokenToId: ReadonlyMap<string, number>;
  readonly padId: number;
  readonly unkId: number;
}

/** The 4118 fixed tokens every vocab starts with, in order. */
export function buildFixedVocabTokens(): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  for (let i = 0; i < RUN_TOKEN_COUNT; i++) tokens.push(`[RUN_${i}]`);
  for (const prefix of HASH_TOKEN_PREFIXES) for (let b = 0; b < HASH_BUCKETS; b++) tokens.push(`[${prefix}_${b}]`);
  return tokens;
}

export function vocabFromTokens(tokens: readonly string[]): Vocab {
  const tokenToId = new Map<string, number>();
  tokens.forEach((t, i) => tokenToId.set(t, i));
  return { tokens, tokenToId, padId: tokenToId.get('[PAD]') ?? 0, unkId: tokenToId.get('[UNK]') ?? 1 };
}

/** Parses a `vocab.json` document. `where` (the file path) goes into errors (code VOCAB_INVALID). */
export function parseVocab(json: unknown, where: string): Vocab {
  const fail = (what: string, keyPath: string): never => {
    throw new PlannerError(
      ErrorCodes.VOCAB_INVALID,
      `${where}: ${what}. Use the vocab.json the model was trained with.`,
      { context: { file: where, keyPath } },
    );
  };
  if (!isRecord(json)) return fail('is not a JSON object', '');
  if (json.schema_version !== undefined && json.schema_version !== VOCAB_SCHEMA_VERSION) {
    fail(
      `schema_version is ${JSON.stringify(json.schema_version)}, expected "${VOCAB_SCHEMA_VERSION}"`,
      '/schema_version',
    );
  }
  const tokens = json.tokens;
  if (!Array.isArray(tokens) || tokens.length === 0)
    return fail('"tokens" must be a non-empty list of strings', '/tokens');
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t: unknown = tokens[i];
    if (typeof t !== 'string') fail(`tokens[${i}] is not a string`, `/tokens/${i}`);
    if (seen.has(t as string)) fail(`tokens[${i}] ${JSON.stringify(t)} is a duplicate`, `/tokens/${i}`);
    seen.add(t as string);
  }
  return vocabFromTokens(tokens as string[]);
}

/** Whether the vocab starts with the fixed 4118-token layout (a Python-trained vocab always does). */
export function hasFixedLayout(vocab: Vocab): boolean {
  const fixed = buildFixedVocabTokens();
  return vocab.tokens.length >= fixed.length && fixed.every((t, i) => vocab.tokens[i] === t);
}

export interface TokenIds {
  readonly inputIds: number[];
  readonly attentionMask: number[];
}

/** First `seqLen` tokens → ids (unknown → unk id), mask 1; then pad id and mask 0 up to `seqLen`. */
export function encodeTokenIds(tokens: readonly string[], vocab: Vocab, seqLen: number): TokenIds {
  const inputIds = new Array<number>(seqLen).fill(vocab.padId);
  const attentionMask = new Array<number>(seqLen).fill(0);
  const n = Math.min(tokens.length, seqLen);
  for (let i = 0; i < n; i++) {
    inputIds[i] = vocab.tokenToId.get(tokens[i]) ?? vocab.unkId;
    attentionMask[i] = 1;
  }
  return { inputIds, attentionMask };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The same, written into row `row` of fresh (zero-filled) [batch, seqLen] int64 arrays. Ids are small non-negative
 * integers, so on little-endian hosts the low 32-bit word is written directly (no BigInt per token).
 */
export function encodeTokenIdsInto(
  tokens: readonly string[],
  vocab: Vocab,
  seqLen: number,
  ids: BigInt64Array,
  mask: BigInt64Array,
  row: number,
): void {
  const base = row * seqLen;
  const n = Math.min(tokens.length, seqLen);
  if (LITTLE_ENDIAN) {
    const ids32 = new Int32Array(ids.buffer, ids.byteOffset, ids.length * 2);
    const mask32 = new Int32Array(mask.buffer, mask.byteOffset, mask.length * 2);
    for (let i = 0; i < n; i++) {
      ids32[2 * (base + i)] = vocab.tokenToId.get(tokens[i]) ?? vocab.unkId;
      mask32[2 * (base + i)] = 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      ids[base + i] = BigInt(vocab.tokenToId.get(tokens[i]) ?? vocab.unkId);
      mask[base + i] = 1n;
    }
  }
  if (vocab.padId !== 0) ids.fill(BigInt(vocab.padId), base + n, base + seqLen);
}
