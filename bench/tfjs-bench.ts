/**
 * The tfjs backend on the full-size spec MLPPolicy (d_in 3779, d_hidden 512, n_layers 3; seeded random weights,
 * written as a model.json bundle to a temp dir): load time (bundle + runtime + session), RSS after load, batch-1
 * p50/p99 and batch-64 throughput, which tfjs backend ran (and, on wasm, whether its SIMD build did), and the first
 * inference after load on its own (the session packs its weights at load, so that one should cost like any other).
 * The RSS is the whole process's (run it in a fresh one for a clean figure). model.pt is not benchmarked here:
 * there is no torch writer in TS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBundle } from '../core/bundle/load-bundle.js';
import type { FeaturesBatch } from '../core/encoders/encoder.js';
import { silentLogger } from '../core/logger.js';
import { randomMlpPolicyWeights } from '../plugins/tfjs/random-weights.js';
import { createTfjsPlugin } from '../plugins/tfjs/tfjs-plugin.js';
import type { TfjsBackendName } from '../plugins/tfjs/tfjs-runtime.js';
import type { MlpPolicyWeights } from '../core/mlp-policy.js';
import { tensorsFromWeights } from '../plugins/tfjs/state-dict-check.js';
import { encodeTfjsWeights } from '../plugins/tfjs/tfjs-weights-io.js';
import { round, sample, summarize } from './stats.js';
import { defaultActionSpaceFile } from '../core/action-space.js';
import { FULL_SIZE } from './fullsize-bundle.js';

export interface TfjsBenchOptions {
  readonly progress?: (line: string) => void;
  readonly iterations?: number;
  readonly batchIterations?: number;
  /** tfjs backends to try, in order (default: tensorflow, wasm, cpu). */
  readonly backends?: readonly TfjsBackendName[];
}

/** The full-size model both backends are benchmarked on. */
export const FULL_SIZE_DIMS = FULL_SIZE;

const ACTION_SPACE = defaultActionSpaceFile();

function writeTfjsWeightsBundle(weights: MlpPolicyWeights): string {
  const dir = mkdtempSync(join(tmpdir(), 'cyntra-tfjs-bench-'));
  const { dIn, dHidden, nLayers } = weights.dims;
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'tfjs', d_in: dIn, d_hidden: dHidden, n_layers: nLayers, encoder: 'features.v1' }),
  );
  writeFileSync(join(dir, 'action_space.json'), JSON.stringify(ACTION_SPACE));
  const { modelJson, shards } = encodeTfjsWeights(tensorsFromWeights(weights));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  for (const [name, bytes] of shards) writeFileSync(join(dir, name), bytes);
  return dir;
}

function randomBatch(size: number, seed: number): FeaturesBatch {
  let s = seed;
  const data = Float32Array.from({ length: size * FULL_SIZE_DIMS.dIn }, () =>
    (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 < 0.05 ? 1 : 0,
  );
  return { kind: 'features', size, dIn: FULL_SIZE_DIMS.dIn, data };
}

async function wasmSimd(): Promise<boolean> {
  const tf = await import('@tensorflow/tfjs-core');
  return tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
}

export async function benchTfjs(opts: TfjsBenchOptions = {}): Promise<Record<string, number | string>> {
  const progress = opts.progress ?? (() => undefined);
  const dir = writeTfjsWeightsBundle(randomMlpPolicyWeights(FULL_SIZE_DIMS, 2026));
  try {
    progress('tfjs: loading the full-size model');
    const plugin = createTfjsPlugin({ backends: opts.backends });
    const t0 = performance.now();
    await plugin.init({ logger: silentLogger });
    const session = await plugin.createSession(await loadBundle(dir), { logger: silentLogger, options: {} });
    const loadMs = performance.now() - t0;
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const one = randomBatch(1, 7);
    const t1 = performance.now();
    await session.infer({ inputs: [], encoded: one });
    const firstInferMs = performance.now() - t1;
    progress('tfjs: batch-1 latency');
    const single = summarize(await sample(() => session.infer({ inputs: [], encoded: one }), opts.iterations ?? 300));
    const b64 = randomBatch(64, 11);
    progress('tfjs: batch-64 throughput');
    const batch = summarize(
      await sample(() => session.infer({ inputs: [], encoded: b64 }), opts.batchIterations ?? 40, 5),
    );
    await session.dispose();
    return {
      tfjsBackend: String(session.info.tfjsBackend),
      ...(session.info.tfjsBackend === 'wasm' ? { wasmSimd: String(await wasmSimd()) } : {}),
      loadMs: round(loadMs, 1),
      firstInferMs: round(firstInferMs),
      rssAfterLoadMb: round(rssMb, 1),
      batch1P50Ms: round(single.p50Ms),
      batch1P99Ms: round(single.p99Ms),
      batch64MeanMs: round(batch.meanMs),
      batch64ItemsPerSec: round((64 * 1000) / batch.meanMs, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
