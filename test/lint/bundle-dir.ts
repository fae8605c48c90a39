/** Writes small bundles into temp directories for the lint tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '../support/temp-dir.js';

export type Files = Record<string, string | Buffer>;

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export const ACTION_SPACE = {
  swarm_ids: ['serial_handoff', 'speculate_vote'],
  max_candidates_bins: [1, 2, 3, 'NA'],
  max_minutes_bins: [15, 30, 45, 60, 120, 'NA'],
  max_iterations_bins: [1, 2, 3, 5, 'NA'],
};

export function coreFiles(): Files {
  return {
    'config.json': json({ d_in: 3779, encoder: 'features.v1' }),
    'action_space.json': json(ACTION_SPACE),
    'calibration.json': json({ temperatures: { swarm_id: 1.2 } }),
  };
}

export function withMetadata(files: Files, extra: Record<string, unknown> = {}): Files {
  const entries = Object.fromEntries(
    Object.entries(files).map(([n, d]) => [n, { sha256: sha256(d), size: Buffer.byteLength(d) }]),
  );
  return {
    ...files,
    'metadata.json': json({
      schema_version: 'cyntra.model_bundle.v1',
      name: 't',
      version: '1',
      created_at: '2026-01-01T00:00:00Z',
      files: entries,
      ...extra,
    }),
  };
}

export function writeBundle(files: Files): string {
  const dir = makeTempDir('cyntra-lint-');
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}

/** The digest of docs/bundle-digest.md, written out independently of core/. */
export function expectedDigest(files: Files): string {
  const lines = Object.keys(files)
    .sort()
    .map((n) => `${n}\0${sha256(files[n])}\n`)
    .join('');
  return sha256(lines);
}
