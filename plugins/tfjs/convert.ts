/**
 * `convertBundle`: turns a bundle whose weights are a torch state_dict (`DIR/model.pt`) into a complete tfjs or ONNX
 * bundle. The JSON files (config, action space, calibration, vocab, …) are copied, `config.json#/model_type` is set
 * to the target, and `metadata.json` records a sha256 and size per written file. Files are written into a fresh
 * temporary directory next to OUTDIR, which is renamed into place at the end: a failure leaves nothing half-written.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import type { MlpPolicyWeights } from '../../core/mlp-policy.js';
import { bundleDims } from './policy-weights.js';
import { checkStateDict, checkStateDictShapes, tensorsFromWeights } from './state-dict-check.js';
import { loadTorchStateDict } from './torch-checkpoint.js';
import { encodeTfjsWeights } from './tfjs-weights-io.js';

export type ConvertTarget = 'tfjs' | 'onnx';

export interface ConvertOptions {
  /** Path of the torch checkpoint; its directory is the source bundle. */
  readonly from: string;
  readonly to: ConvertTarget;
  readonly out: string;
  /** Replace a non-empty OUTDIR. */
  readonly force?: boolean;
  /** Timestamp for metadata.created_at (default: now). */
  readonly now?: Date;
}

export interface ConvertResult {
  readonly out: string;
  readonly files: Record<string, { sha256: string; size: number }>;
}

/** Files never copied from the source: weights and the metadata this function rewrites. */
const NOT_COPIED = new Set(['metadata.json', 'model.json', 'model.pt', 'model.onnx']);

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function modelFiles(weights: MlpPolicyWeights, to: ConvertTarget): Promise<Map<string, Uint8Array>> {
  if (to === 'tfjs') {
    const { modelJson, shards } = encodeTfjsWeights(tensorsFromWeights(weights));
    return new Map([['model.json', Buffer.from(`${JSON.stringify(modelJson, null, 2)}\n`)], ...shards]);
  }
  const { buildMlpPolicyOnnx } = await import('../onnx/onnx-writer.js');
  return new Map([['model.onnx', buildMlpPolicyOnnx(weights)]]);
}

async function outIsFree(out: string, force: boolean): Promise<void> {
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw new PlannerError(ErrorCodes.IO_FAILED, `${out}: cannot read the output directory (${e.code})`, {
      context: { file: out },
      cause: e,
    });
  });
  if (entries.length > 0 && !force) {
    throw new PlannerError(
      ErrorCodes.USAGE,
      `${out} exists and is not empty; choose another --out or pass --force to replace it`,
      { context: { file: out } },
    );
  }
}

async function writeBundle(
  dir: string,
  files: Map<string, Uint8Array>,
  metadata: Record<string, unknown>,
  now: Date,
  to: ConvertTarget,
): Promise<ConvertResult['files']> {
  const sums: ConvertResult['files'] = {};
  for (const [name, bytes] of files) {
    await writeFile(join(dir, name), bytes);
    sums[name] = { sha256: sha256(bytes), size: bytes.length };
  }
  const meta = {
    ...metadata,
    schema_version: 'cyntra.model_bundle.v1',
    backend: to,
    created_at: now.toISOString(),
    files: sums,
  };
  await writeFile(join(dir, 'metadata.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return sums;
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended (symlinks resolved). */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(realish(parent), basename(p));
  }
}

/** OUTDIR is replaced wholesale: it must not be the source bundle nor contain it (`--force` would delete the source). */
function outsideSource(out: string, from: string): void {
  const src = realish(dirname(from));
  const rel = relative(realish(out), src);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new PlannerError(
      ErrorCodes.USAGE,
      `--out ${out} is or contains the source bundle ${dirname(from)}; replacing it would delete the source. Choose an --out outside it`,
      {
        context: { file: out, source: dirname(from) },
      },
    );
  }
}

/** Converts `from` (a torch state_dict inside a bundle directory) into a complete bundle at `out`. */
export async function convertBundle(options: ConvertOptions): Promise<ConvertResult> {
  const from = resolve(options.from);
  const out = resolve(options.out);
  outsideSource(out, from);
  await outIsFree(out, options.force === true);
  const source = await loadBundle(dirname(from));
  const ckpt = await readFile(from).catch((cause: NodeJS.ErrnoException) => {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${from}: cannot read the checkpoint (${cause.code}); check --from`,
      { context: { file: from }, cause },
    );
  });
  const dims = bundleDims(source);
  const tensors = loadTorchStateDict(ckpt, {
    where: from,
    checkShapes: (shapes) => checkStateDictShapes(shapes, dims, from),
  });
  const weights = checkStateDict(tensors, dims, from);
  const files = await modelFiles(weights, options.to);
  for (const name of Object.keys(source.json)) {
    if (NOT_COPIED.has(name) || files.has(name)) continue;
    const value = name === 'config.json' ? { ...(source.json[name] as object), model_type: options.to } : null;
    files.set(name, value ? Buffer.from(`${JSON.stringify(value, null, 2)}\n`) : await source.readFile(name));
  }
  const oldMeta = (source.json['metadata.json'] as Record<string, unknown> | undefined) ?? {};
  const metadata = { ...oldMeta, converted_from: { file: basename(from), sha256: sha256(ckpt), size: ckpt.length } };
  const tmp = await tempDirNextTo(out);
  try {
    const sums = await writeBundle(tmp, files, metadata, options.now ?? new Date(), options.to);
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return { out, files: sums };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Creates OUTDIR's parent as needed, then a temp dir beside OUTDIR (same filesystem, so the rename is atomic). */
async function tempDirNextTo(out: string): Promise<string> {
  try {
    await mkdir(dirname(out), { recursive: true });
    return await mkdtemp(join(dirname(out), `.${basename(out)}.tmp-`));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new PlannerError(
      ErrorCodes.IO_FAILED,
      `${out}: cannot create the output directory (${code}); choose a writable --out`,
      { context: { file: out }, cause },
    );
  }
}
