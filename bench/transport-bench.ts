/**
 * The isolation transport and its plumbing alone: `WorkerPool.infer` round trips to a child whose backend answers at
 * once (bench/constant-registry.ts), with full-size features batches (d_in 3779) at b1/b64/b256. With
 * ISO_BASELINE_DIST=<another build's dist/> that build's pool runs in the same process, interleaved.
 *
 *   node dist/bench/transport-bench.js [rounds=20] [perRound=50]
 */
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync, rmSync } from 'node:fs';
import { createFeaturesEncoder } from '../core/encoders/features-encoder.js';
import type { EncodedBatch } from '../core/encoders/encoder.js';
import { resolveInferenceConfig } from '../core/inference-config.js';
import { silentLogger } from '../core/logger.js';
import { realisticInput } from './encode-bench.js';
import { makeFullSizeBundles } from './fullsize-bundle.js';
import { interleaved, summarize } from './stats.js';
import { processCpuNs } from './thread-cpu.js';

type Call = (encoded: EncodedBatch) => Promise<unknown>;
type Pool = { call: Call; dispose: () => void; pid: number };

/** Parent and child CPU per call, µs, over `n` calls in a row (one pool at a time: the parent's CPU is its own). */
async function cpuPerCall(pool: Pool, encoded: EncodedBatch, n: number): Promise<[number, number]> {
  for (let i = 0; i < 20; i++) await pool.call(encoded);
  const [p0, c0] = [processCpuNs('self'), processCpuNs(pool.pid)];
  for (let i = 0; i < n; i++) await pool.call(encoded);
  return [(processCpuNs('self') - p0) / n / 1000, (processCpuNs(pool.pid) - c0) / n / 1000];
}

async function poolFrom(root: string, bundleDir: string): Promise<Pool> {
  const { WorkerPool } = (await import(pathToFileURL(join(root, 'core/isolation/worker-pool.js')).href)) as {
    WorkerPool: {
      start: (
        ...a: unknown[]
      ) => Promise<{ pool: { infer: (...a: unknown[]) => Promise<unknown>; dispose(): void; pids: number[] } }>;
    };
  };
  const config = resolveInferenceConfig({
    modelPath: bundleDir,
    modelType: 'constant',
    fallback: [],
    isolation: 'in-process',
  });
  const spec = {
    entry: join(root, 'plugins', 'isolation-worker.js'),
    config,
    registryModule: join(root, 'bench', 'constant-registry.js'),
    plugins: [],
    pluginsDir: process.cwd(),
  };
  const { pool } = await WorkerPool.start(spec, 1, 60_000, silentLogger);
  const signal = new AbortController().signal;
  // Builds before the frame pipe took `(inputs, encoded, signal)`.
  const current = existsSync(join(root, 'core/isolation/frame-codec.js'));
  const call: Call = current
    ? (encoded) => pool.infer({ inputs: [], encoded }, false, signal)
    : (encoded) => pool.infer([], encoded, signal);
  return { call, dispose: () => pool.dispose(), pid: pool.pids[0] };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 20);
  const perRound = Number(process.argv[3] ?? 50);
  const here = dirname(dirname(fileURLToPath(import.meta.url)));
  const base = process.env.ISO_BASELINE_DIST;
  const bundles = await makeFullSizeBundles();
  const pools: Record<string, Pool> = { new: await poolFrom(here, bundles.onnxDir) };
  if (base) pools.base = await poolFrom(base, bundles.onnxDir);
  const encoder = createFeaturesEncoder();
  const lines: string[] = [];
  for (const batch of [1, 64, 256]) {
    const encoded = encoder.encodeBatch(Array.from({ length: batch }, (_, i) => realisticInput(i)));
    const fns = Object.fromEntries(Object.entries(pools).map(([k, p]) => [`${k}.b${batch}`, () => p.call(encoded)]));
    const per = Math.max(2, Math.round(perRound / Math.sqrt(batch)));
    const s = await interleaved(fns, rounds, per);
    for (const [k, v] of Object.entries(s)) {
      const st = summarize(v);
      const us = (x: number) => (x * 1000).toFixed(0).padStart(6);
      lines.push(
        `${k.padEnd(10)} n ${String(st.n).padStart(5)}  p50 ${us(st.p50Ms)} µs  p90 ${us(st.p90Ms)} µs  p99 ${us(st.p99Ms)} µs`,
      );
    }
    for (let r = 0; r < 3; r++)
      for (const [k, p] of Object.entries(pools)) {
        const [parent, child] = await cpuPerCall(p, encoded, Math.max(20, Math.round(2000 / batch)));
        lines.push(
          `${`${k}.b${batch}`.padEnd(10)} cpu per call: parent ${parent.toFixed(0)} µs, child ${child.toFixed(0)} µs`,
        );
      }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const p of Object.values(pools)) p.dispose();
  rmSync(bundles.root, { recursive: true, force: true });
}

await main();
