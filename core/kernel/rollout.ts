/** Rollout gates beyond the spec: risk levels (phase 2) and a sticky fraction of issues (reproducible A/B split). */
import { createHash } from 'node:crypto';

/** A stable number in [0, 1) for an issue id: the first 32 bits of SHA-256(id). */
export function rolloutBucket(issueId: string): number {
  return createHash('sha256').update(issueId, 'utf8').digest().readUInt32BE(0) / 2 ** 32;
}

export function inRollout(issueId: string, fraction: number): boolean {
  if (fraction >= 1) return true;
  if (fraction <= 0) return false;
  return rolloutBucket(issueId) < fraction;
}
