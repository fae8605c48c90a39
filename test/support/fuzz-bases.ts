/**
 * Base bundles for the bundle fuzz test: bundles that load and serve, so that mutants of them can still reach a
 * model. The servable fixtures, bundles converted from torch-features (tfjs and ONNX), and a copy without
 * metadata.json of every base that has one: metadata checksums refuse almost every byte mutation up front, so only
 * the bare copies let mutated weights and JSON reach a backend.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertBundle } from '../../plugins/tfjs/convert.js';
import { makeScriptedBundle } from './scripted-plugin.js';
import { makeTempDir } from './temp-dir.js';

const BUNDLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bundles');

/** Fixture bundles that lint clean and load (the parity fixtures are refused with ENCODER_DIM_MISMATCH). */
const SERVABLE = ['onnx-spec-small', 'onnx-python-small', 'torch-features'] as const;

export interface FuzzBase {
  readonly name: string;
  readonly dir: string;
  /** metadata.json lists per-file checksums. */
  readonly checksums: boolean;
  /** The bundle holds a binary model file (weights), not only JSON. */
  readonly modelFile: boolean;
}

export interface FuzzBases {
  readonly bases: readonly FuzzBase[];
  /** Removes the temporary directories. */
  cleanup(): void;
}

export async function fuzzBases(): Promise<FuzzBases> {
  const work = makeTempDir('cyntra-fuzz-bases-');
  const scripted = makeScriptedBundle({ 'scripted.json': '{}', 'calibration.json': { temperature: { swarm: 1.5 } } });
  const dirs: { name: string; dir: string }[] = [{ name: 'scripted', dir: scripted }];
  for (const name of SERVABLE) if (existsSync(join(BUNDLES, name))) dirs.push({ name, dir: join(BUNDLES, name) });
  const torch = join(BUNDLES, 'torch-features', 'model.pt');
  if (existsSync(torch)) {
    for (const to of ['tfjs', 'onnx'] as const) {
      const out = join(work, `${to}-from-torch-features`);
      await convertBundle({ from: torch, to, out, now: new Date('2026-01-01T00:00:00Z') });
      dirs.push({ name: `${to}-from-torch-features`, dir: out });
    }
  }
  for (const base of [...dirs]) {
    if (!existsSync(join(base.dir, 'metadata.json'))) continue;
    const bare = join(work, `${base.name}-bare`);
    cpSync(base.dir, bare, { recursive: true, filter: (src) => !src.endsWith('/metadata.json') });
    dirs.push({ name: `${base.name} (no metadata.json)`, dir: bare });
  }
  const bases = dirs.map((d) => ({
    ...d,
    checksums: hasChecksums(d.dir),
    modelFile: readdirSync(d.dir).some((f) => !f.endsWith('.json')),
  }));
  const cleanup = (): void => {
    for (const d of [work, scripted]) rmSync(d, { recursive: true, force: true });
  };
  return { bases, cleanup };
}

function hasChecksums(dir: string): boolean {
  const file = join(dir, 'metadata.json');
  if (!existsSync(file)) return false;
  const files = (JSON.parse(readFileSync(file, 'utf8')) as { files?: unknown }).files;
  return typeof files === 'object' && files !== null && Object.keys(files).length > 0;
}
