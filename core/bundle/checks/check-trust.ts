/**
 * Trust by checksum: the bundle digest must equal `--expect-sha256` and/or be on the kernel's allow-list. Only
 * checked when the operator asks; the bundle's own metadata checksums prove integrity, never trust.
 */
import { problem, type LintProblem } from './bundle-problem.js';
import { ErrorCodes } from '../../errors.js';

export interface TrustOptions {
  /** The one digest this bundle must have (hex, case-insensitive, optionally written `sha256:HEX`). */
  readonly expectSha256?: string;
  /** Digests the kernel accepts, as `expectSha256` (the kernel config writes `sha256:HEX`). An empty list accepts nothing. */
  readonly trustedDigests?: readonly string[];
}

/** `sha256:ABC…` and `abc…` name the same digest. */
export function normalizeDigest(digest: string): string {
  return digest
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
}

export function wantsTrustCheck(options: TrustOptions): boolean {
  return options.expectSha256 !== undefined || options.trustedDigests !== undefined;
}

export function trustProblems(digest: string, options: TrustOptions): LintProblem[] {
  const out: LintProblem[] = [];
  if (options.expectSha256 !== undefined && normalizeDigest(options.expectSha256) !== digest) {
    out.push(
      problem(
        'error',
        ErrorCodes.BUNDLE_UNTRUSTED,
        '',
        '',
        `bundle digest is ${digest}, expected ${normalizeDigest(options.expectSha256)}; the bundle is not the one that was approved`,
      ),
    );
  }
  if (options.trustedDigests !== undefined && !options.trustedDigests.some((d) => normalizeDigest(d) === digest)) {
    out.push(
      problem(
        'error',
        ErrorCodes.BUNDLE_UNTRUSTED,
        '',
        '',
        `bundle digest ${digest} is not on the trusted-digest allow-list; approve it first (docs/bundle-digest.md)`,
      ),
    );
  }
  return out;
}
