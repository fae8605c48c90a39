/**
 * TensorFlow.js weights (`model.json` with a `weightsManifest` and `.bin` shards), read and written with our own IO:
 * no URL loaders. Every shard path goes through `bundle.resolve`/`readFile`, so `..`, absolute paths and symlinks
 * out of the bundle are refused (BUNDLE_PATH_ESCAPE); shard sizes must match the manifest (TFJS_WEIGHTS_MISMATCH).
 * Only float32 weights are read (the converter writes float32).
 */
import { PlannerError } from '../../core/errors.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import type { LoadedTensor } from './torch-checkpoint.js';

export const TFJS_FORMAT = 'cyntra.mlp_policy.tfjs.v1';

interface ManifestEntry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
}

interface ManifestGroup {
  readonly paths: string[];
  readonly weights: ManifestEntry[];
}

export type WeightsReader = Pick<Bundle, 'readFile' | 'resolve'>;

function mismatch(file: string, message: string, pointer = ''): PlannerError {
  return new PlannerError('TFJS_WEIGHTS_MISMATCH', `${file}: ${message}`, { context: { file, pointer } });
}

function isIntArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((n) => Number.isSafeInteger(n) && n >= 0);
}

/** The manifest groups of a parsed model.json, shape-checked. */
export function parseManifest(json: unknown, file = 'model.json'): ManifestGroup[] {
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw mismatch(file, 'has no "weightsManifest" array', '/weightsManifest');
  return manifest.map((g: unknown, gi) => {
    const group = g as Partial<ManifestGroup>;
    if (
      !Array.isArray(group?.paths) ||
      !group.paths.every((p) => typeof p === 'string') ||
      !Array.isArray(group.weights)
    ) {
      throw mismatch(file, `weightsManifest[${gi}] needs "paths" (strings) and "weights"`, `/weightsManifest/${gi}`);
    }
    group.weights.forEach((w, wi) => {
      if (typeof w?.name !== 'string' || !isIntArray(w.shape) || typeof w.dtype !== 'string') {
        throw mismatch(
          file,
          `weightsManifest[${gi}].weights[${wi}] needs name, shape (ints) and dtype`,
          `/weightsManifest/${gi}/weights/${wi}`,
        );
      }
      if (w.dtype !== 'float32')
        throw mismatch(
          file,
          `weight "${w.name}" has dtype ${w.dtype}; only float32 is supported`,
          `/weightsManifest/${gi}/weights/${wi}/dtype`,
        );
    });
    return group as ManifestGroup;
  });
}

/** Byte size a group's shards must add up to. */
export function groupBytes(group: ManifestGroup): number {
  return group.weights.reduce((acc, w) => acc + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
}

async function readGroup(io: WeightsReader, group: ManifestGroup, gi: number, file: string): Promise<Uint8Array> {
  const shards: Buffer[] = [];
  for (const path of group.paths) {
    io.resolve(path);
    shards.push(await io.readFile(path));
  }
  const joined = Buffer.concat(shards);
  const want = groupBytes(group);
  if (joined.length !== want)
    throw mismatch(
      file,
      `weightsManifest[${gi}] shards hold ${joined.length} bytes, the manifest needs ${want}; re-convert the bundle`,
      `/weightsManifest/${gi}/paths`,
    );
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}

/** Reads every weight named in `model.json` into key → {shape, data}. */
export async function readTfjsWeights(io: WeightsReader, file = 'model.json'): Promise<Map<string, LoadedTensor>> {
  let json: unknown;
  try {
    json = JSON.parse((await io.readFile(file)).toString('utf8'));
  } catch (cause) {
    if (cause instanceof PlannerError) throw cause;
    throw new PlannerError('TFJS_WEIGHTS_MISMATCH', `${file}: not valid JSON (${(cause as Error).message})`, {
      context: { file },
      cause,
    });
  }
  const out = new Map<string, LoadedTensor>();
  for (const [gi, group] of parseManifest(json, file).entries()) {
    const bytes = await readGroup(io, group, gi, file);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + count * 4));
      offset += count * 4;
      if (out.has(w.name)) throw mismatch(file, `weight "${w.name}" is listed twice`, `/weightsManifest/${gi}`);
      out.set(w.name, { shape: [...w.shape], data });
    }
  }
  return out;
}

export interface EncodedTfjsWeights {
  readonly modelJson: Record<string, unknown>;
  /** Shard file name → bytes. */
  readonly shards: Map<string, Uint8Array>;
}

/** model.json + one little-endian float32 shard for a state_dict (the converter's writer). */
export function encodeTfjsWeights(
  tensors: ReadonlyMap<string, LoadedTensor>,
  shardName = 'group1-shard1of1.bin',
): EncodedTfjsWeights {
  const total = [...tensors.values()].reduce((acc, t) => acc + t.data.length, 0);
  const shard = new Float32Array(total);
  let at = 0;
  const weights: ManifestEntry[] = [];
  for (const [name, t] of tensors) {
    shard.set(t.data, at);
    at += t.data.length;
    weights.push({ name, shape: [...t.shape], dtype: 'float32' });
  }
  const modelJson = {
    format: TFJS_FORMAT,
    generatedBy: 'cyntra-planner convert',
    weightsManifest: [{ paths: [shardName], weights }],
  };
  return { modelJson, shards: new Map([[shardName, new Uint8Array(shard.buffer)]]) };
}
