/**
 * The onnx backend on the full-size spec model (d_in 3779, d_hidden 512, n_layers 3), generated on the fly from a
 * seed: plugin load time (read + graph checks + session + warm-up), RSS after load, bare `session.run` p50/p99 at
 * batch 1 (1 intra-op thread), and batch-64 throughput through the plugin's `infer` (one run per batch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBundle } from '../core/bundle/load-bundle.js';
import { silentLogger } from '../core/logger.js';
import { ACTION_SPACE_JSON, writeBundle } from '../fixtures/tools/make-onnx-fixtures.js';
import { buildFullSizeMlpOnnx } from '../fixtures/tools/onnx-fixture-models.js';
import { onnxPlugin } from '../plugins/onnx/onnx-plugin.js';
import { round, sample, summarize } from './stats.js';

export interface OnnxBenchOptions {
  /** Timed bare runs at batch 1 (default 500). */
  readonly iterations?: number;
  /** Timed batch-64 calls (default 30). */
  readonly batchRounds?: number;
  readonly seed?: number;
}

function randomFeatures(n: number, dIn: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n * dIn);
  for (let i = 0; i < out.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = (a / 4294967296) * 2 - 1;
  }
  return out;
}

export async function benchOnnx(opts: OnnxBenchOptions = {}): Promise<Record<string, number>> {
  const { bytes, weights } = buildFullSizeMlpOnnx(opts.seed ?? 7);
  const dIn = weights.dims.dIn;
  const root = mkdtempSync(join(tmpdir(), 'cyntra-onnx-bench-'));
  const dir = join(root, 'onnx-full');
  writeBundle(dir, {
    'model.onnx': bytes,
    'config.json': JSON.stringify({
      model_type: 'mlp',
      d_in: dIn,
      d_hidden: weights.dims.dHidden,
      n_layers: weights.dims.nLayers,
      encoder: 'features.v1',
    }),
    'action_space.json': JSON.stringify(ACTION_SPACE_JSON),
  });
  try {
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await onnxPlugin.init({ logger: silentLogger });
    const session = await onnxPlugin.createSession(await loadBundle(dir), {
      logger: silentLogger,
      options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
    const loadMs = performance.now() - t0;
    const rssAfter = process.memoryUsage().rss;
    const ort = await import('onnxruntime-node');
    const bare = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const singles = Array.from({ length: 16 }, (_, i) => ({
      input: new ort.Tensor('float32', randomFeatures(1, dIn, i + 1), [1, dIn]),
    }));
    const bareStats = summarize(await sample((i) => bare.run(singles[i % singles.length]), opts.iterations ?? 500));
    const batch = {
      inputs: [],
      encoded: { kind: 'features' as const, size: 64, dIn, data: randomFeatures(64, dIn, 99) },
    };
    const batchStats = summarize(await sample(() => session.infer(batch), opts.batchRounds ?? 30, 5));
    await bare.release();
    await session.dispose();
    return {
      'onnx.model_bytes': bytes.length,
      'onnx.load_ms': round(loadMs, 1),
      'onnx.rss_after_load_mb': round(rssAfter / 2 ** 20, 1),
      'onnx.rss_load_delta_mb': round((rssAfter - rssBefore) / 2 ** 20, 1),
      'onnx.bare_run_b1_p50_ms': round(bareStats.p50Ms),
      'onnx.bare_run_b1_p99_ms': round(bareStats.p99Ms),
      'onnx.batch64_ms_p50': round(batchStats.p50Ms),
      'onnx.batch64_items_per_s': round(64 / (batchStats.p50Ms / 1000), 0),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
