/** vocab.json: the token list holds `[PAD]` and `[UNK]` (the Python loader recomputes pad/unk ids from them). */
import { ErrorCodes } from '../../errors.js';
import { problem, type LintProblem } from './bundle-problem.js';

const REQUIRED_TOKENS = ['[PAD]', '[UNK]'] as const;

export function vocabProblems(json: Readonly<Record<string, unknown>>): LintProblem[] {
  const vocab = json['vocab.json'];
  if (typeof vocab !== 'object' || vocab === null) return [];
  const tokens = (vocab as { tokens?: unknown }).tokens;
  if (!Array.isArray(tokens)) return [];
  const out: LintProblem[] = [];
  for (const token of REQUIRED_TOKENS) {
    if (!tokens.includes(token))
      out.push(
        problem(
          'error',
          ErrorCodes.VOCAB_INVALID,
          'vocab.json',
          '/tokens',
          `vocab.json "tokens" has no ${token}; the encoder needs it for padding and unknown tokens`,
        ),
      );
  }
  const seen = new Map<unknown, number>();
  tokens.forEach((t, i) => {
    if (seen.has(t))
      out.push(
        problem(
          'error',
          ErrorCodes.VOCAB_INVALID,
          'vocab.json',
          `/tokens/${i}`,
          `token ${JSON.stringify(t)} repeats tokens[${seen.get(t)}]; token ids must be unique`,
        ),
      );
    else seen.set(t, i);
  });
  return out;
}
