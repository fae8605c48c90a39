/**
 * Mutated copies of a bundle directory for the fuzz tests: truncated, bit-flipped, garbage-appended files, NaN/Inf
 * patched into binary weights, JSON values replaced by wrong shapes, huge dimensions and non-finite numbers, and
 * plausible-but-odd numbers (tiny or huge temperatures, other bins) that keep the bundle loadable and reach the model.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Prng } from './fuzz-prng.js';
import { makeTempDir } from './temp-dir.js';

const HUGE: unknown[] = [1e12, 2 ** 31, -1, 0, 1.5, 'big', null, [], {}, Number.MAX_SAFE_INTEGER, 1e308];
const NAN_F32 = [0x7fc00000, 0x7f800000, 0xff800000];
const PLAUSIBLE: number[] = [1e-30, 1e-3, 0.5, 2, 7, 240, 1e30];

export interface Mutant {
  readonly dir: string;
  readonly file: string;
  readonly how: string;
}

function mutateJson(rng: Prng, text: string): { text: string; how: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { text: text + '}', how: 'garbage' };
  }
  if (!value || typeof value !== 'object') return { text: JSON.stringify([value, value]), how: 'wrong-shape' };
  const obj = value as Record<string, unknown>;
  const key = rng.pick(Object.keys(obj).length > 0 ? Object.keys(obj) : ['d_in']);
  const op = rng.int(6);
  if (op === 5) return perturbNumber(rng, obj);
  if (op === 0) obj[key] = rng.pick(HUGE);
  else if (op === 1) delete obj[key];
  else if (op === 2)
    obj[key] = Array.isArray(obj[key]) ? [...(obj[key] as unknown[]), ...(obj[key] as unknown[])] : [obj[key]];
  else if (op === 3) obj[rng.pick(['d_in', 'd_hidden', 'n_layers', 'seq_len', 'vocab_size'])] = rng.pick(HUGE);
  else
    return {
      text: JSON.stringify(obj).replace(/(-?\d+\.?\d*)/, rng.pick(['NaN', 'Infinity', '-Infinity', '1e999'])),
      how: 'json-nonfinite',
    };
  return { text: JSON.stringify(obj), how: `json-op${op}:${key}` };
}

/** One numeric leaf anywhere in the document set to a plausible but unusual number (the JSON stays valid). */
function perturbNumber(rng: Prng, obj: Record<string, unknown>): { text: string; how: string } {
  const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number; path: string }[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node))
      node.forEach((v, i) =>
        typeof v === 'number' ? leaves.push({ parent: node, key: i, path: `${path}/${i}` }) : walk(v, `${path}/${i}`),
      );
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === 'number')
          leaves.push({ parent: node as Record<string, unknown>, key: k, path: `${path}/${k}` });
        else walk(v, `${path}/${k}`);
      }
    }
  };
  walk(obj, '');
  if (leaves.length === 0) return { text: JSON.stringify(obj), how: 'json-perturb:none' };
  const leaf = rng.pick(leaves);
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = rng.pick(PLAUSIBLE);
  return { text: JSON.stringify(obj), how: `json-perturb:${leaf.path}` };
}

function mutateBytes(rng: Prng, data: Buffer): { data: Buffer; how: string } {
  const op = rng.int(4);
  if (op === 0 || data.length === 0) return { data: data.subarray(0, rng.int(data.length + 1)), how: 'truncate' };
  if (op === 1) {
    const out = Buffer.from(data);
    for (let n = 1 + rng.int(8); n > 0; n--) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return { data: out, how: 'bit-flip' };
  }
  if (op === 2)
    return {
      data: Buffer.concat([data, Buffer.from(Array.from({ length: 1 + rng.int(64) }, () => rng.int(256)))]),
      how: 'append',
    };
  const out = Buffer.from(data);
  for (let n = 1 + rng.int(16); n > 0 && out.length >= 4; n--)
    out.writeUInt32LE(rng.pick(NAN_F32), 4 * rng.int(Math.floor(out.length / 4)));
  return { data: out, how: 'nan-inf-words' };
}

/** A mutated copy of `base` (one file changed, sometimes two). The caller owns the temp directory. */
export function mutateBundle(rng: Prng, base: string): Mutant {
  const dir = makeTempDir('cyntra-fuzz-bundle-');
  cpSync(base, dir, { recursive: true });
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  const hows: string[] = [];
  let file = '';
  for (let n = rng.chance(0.2) ? 2 : 1; n > 0; n--) {
    file = rng.pick(files);
    const path = join(dir, file);
    if (file.endsWith('.json') && rng.chance(0.7)) {
      const m = mutateJson(rng, readFileSync(path, 'utf8'));
      writeFileSync(path, m.text);
      hows.push(`${file}:${m.how}`);
    } else {
      const m = mutateBytes(rng, readFileSync(path));
      writeFileSync(path, m.data);
      hows.push(`${file}:${m.how}`);
    }
  }
  return { dir, file, how: hows.join(',') };
}

/**
 * A structurally broken copy of `base`: its model file (or, without one, another file) removed, or replaced by a
 * directory or a FIFO. The byte mutations above never change which files exist; the lint/loader property needs both.
 */
export function structuralMutant(rng: Prng, base: string): Mutant {
  const dir = makeTempDir('cyntra-fuzz-bundle-');
  cpSync(base, dir, { recursive: true });
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  const models = files.filter((f) => !f.endsWith('.json') || f === 'model.json');
  const file = rng.pick(models.length > 0 && rng.chance(0.8) ? models : files);
  const path = join(dir, file);
  rmSync(path);
  const op = rng.pick(['remove', 'directory', 'fifo'] as const);
  if (op === 'directory') mkdirSync(join(path, 'inner'), { recursive: true });
  if (op === 'fifo') execFileSync('mkfifo', [path]);
  return { dir, file, how: `${file}:${op}` };
}
