/**
 * End-to-end predict latency (encode + infer + decode + gate through PlannerInference) against bare onnxruntime
 * `session.run` on the same full-size model, measured in one run with interleaved rounds; the tfjs backend and
 * `process` isolation on the same weights; batch throughput; load time and RSS per backend in fresh processes.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFeaturesEncoder } from '../core/encoders/features-encoder.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../core/inference-config.js';
import { PlannerInference, type PlannerDeps } from '../core/planner-inference.js';
import type { PlannerInputV1 } from '../core/planner-input-types.js';
import { createRegistry } from './bench-registry.js';
import { realisticInput } from './encode-bench.js';
import { makeFullSizeBundles, type FullSizeBundles } from './fullsize-bundle.js';
import { interleaved, median, summarize, type LatencyStats } from './stats.js';

export const BATCH_SIZES = [1, 16, 64, 256] as const;

/**
 * `runIn: worker` with the thread's default busy-wait after a run (threadSpinUs) and none on the caller's side: the
 * event loop stays free during the run, and the caller wakes through it.
 */
const WORKER_OPTIONS = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  runIn: 'worker',
  callerSpinUs: 0,
} as const;

export interface BatchPoint {
  readonly batch: number;
  readonly msPerBatch: number;
  readonly issuesPerSec: number;
}

export interface LoadProbe {
  readonly backend: string;
  readonly answered?: string;
  readonly loadMs?: number;
  readonly wallMs?: number;
  readonly rssMb?: number;
  readonly error?: string;
}

export interface PredictBenchResult {
  readonly latency: Record<string, LatencyStats>;
  readonly batches: Record<string, BatchPoint[]>;
  readonly loads: LoadProbe[];
  readonly notes: string[];
}

type Progress = (line: string) => void;

const inputs: PlannerInputV1[] = Array.from({ length: 64 }, (_, i) => realisticInput(i));

export async function plannerFor(
  dir: string,
  modelType: string,
  extra: InferenceConfigInput = {},
  deps: Partial<PlannerDeps> = {},
): Promise<PlannerInference> {
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType,
    fallback: [],
    timeoutMs: 5000,
    confidenceThreshold: 0,
    backendOptions: { onnx: { intraOpNumThreads: 1, interOpNumThreads: 1 } },
    ...extra,
  });
  const registryModule = join(dirname(fileURLToPath(import.meta.url)), 'bench-registry.js');
  const p = await PlannerInference.create(config, {
    registry: await createRegistry(),
    isolation: { registryModule },
    ...deps,
  });
  if (p.backend !== modelType) {
    await p.dispose();
    throw new Error(
      `backend ${modelType} did not load (${p.attempts.map((a) => `${a.code}: ${a.message}`).join('; ')})`,
    );
  }
  return p;
}

/** A bare onnxruntime session: 1 intra-op and 1 inter-op thread, sequential, all graph optimisations. */
export async function bareSession(model: string) {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return { ort, session };
}

/** A bare onnxruntime session (1 intra-op thread) fed the same encoded features the planner would feed. */
async function bareOnnx(model: string): Promise<(i: number) => Promise<unknown>> {
  const { ort, session } = await bareSession(model);
  const encoder = createFeaturesEncoder();
  const feeds = inputs.map((input) => {
    const e = encoder.encodeBatch([input]);
    if (e.kind !== 'features') throw new Error('features encoder returned a non-features batch');
    return { [session.inputNames[0]]: new ort.Tensor('float32', e.data, [1, e.dIn]) };
  });
  return (i) => session.run(feeds[i % feeds.length]);
}

async function contenders(
  b: FullSizeBundles,
  notes: string[],
  progress: Progress,
): Promise<{ fns: Record<string, (i: number) => Promise<unknown>>; planners: Record<string, PlannerInference> }> {
  const fns: Record<string, (i: number) => Promise<unknown>> = {};
  const planners: Record<string, PlannerInference> = {};
  const tries: Array<[string, () => Promise<unknown>]> = [
    ['onnx.bare_session_run', async () => (fns['onnx.bare_session_run'] = await bareOnnx(b.onnxModel))],
    ['onnx.predict', async () => (planners['onnx.predict'] = await plannerFor(b.onnxDir, 'onnx'))],
    [
      'onnx.predict_worker',
      async () =>
        (planners['onnx.predict_worker'] = await plannerFor(b.onnxDir, 'onnx', {
          backendOptions: { onnx: WORKER_OPTIONS },
        })),
    ],
    [
      // both sides busy-wait for each other (the thread after a run, this thread for the result; docs/onnx-worker-thread.md)
      'onnx.predict_worker_spin',
      async () =>
        (planners['onnx.predict_worker_spin'] = await plannerFor(b.onnxDir, 'onnx', {
          backendOptions: { onnx: { ...WORKER_OPTIONS, callerSpinUs: 20_000 } },
        })),
    ],
    ['tfjs.predict', async () => (planners['tfjs.predict'] = await plannerFor(b.tfjsDir, 'tfjs'))],
    [
      'onnx.predict_process',
      async () => (planners['onnx.predict_process'] = await plannerFor(b.onnxDir, 'onnx', { isolation: 'process' })),
    ],
  ];
  for (const [name, start] of tries) {
    progress(`loading ${name}`);
    await start().catch((e: unknown) =>
      notes.push(`${name}: not available (${e instanceof Error ? e.message : String(e)})`),
    );
  }
  for (const [name, p] of Object.entries(planners)) fns[name] = (i) => p.predict(inputs[i % inputs.length]);
  return { fns, planners };
}

type BatchFn = (items: PlannerInputV1[]) => Promise<unknown>;

/**
 * predictMany throughput of every planner plus bare batched `session.run` (`onnx.bare`), interleaved: each batch
 * size is timed in `rounds` rounds, each round running every contender in turn; medians of the rounds.
 */
async function batchThroughput(
  contenders: Record<string, BatchFn>,
  iterations: (batch: number) => number,
  rounds = 5,
): Promise<Record<string, BatchPoint[]>> {
  const out: Record<string, BatchPoint[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const batch of BATCH_SIZES) {
    const items = Array.from({ length: batch }, (_, i) => inputs[i % inputs.length]);
    const n = Math.max(1, Math.round(iterations(batch) / rounds));
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    for (const fn of Object.values(contenders)) await fn(items);
    for (let r = 0; r < rounds; r++)
      for (const [name, fn] of Object.entries(contenders)) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await fn(items);
        ms[name].push((performance.now() - t0) / n);
      }
    for (const [name, xs] of Object.entries(ms)) {
      const m = median(xs);
      out[name].push({ batch, msPerBatch: m, issuesPerSec: (batch * 1000) / m });
    }
  }
  return out;
}

/** Bare batched `session.run` on the encoded batch (what predictMany's throughput is compared with). */
async function bareBatched(model: string): Promise<BatchFn> {
  const { ort, session } = await bareSession(model);
  const encoder = createFeaturesEncoder();
  const cache = new Map<number, Record<string, InstanceType<typeof ort.Tensor>>>();
  return (items) => {
    let feeds = cache.get(items.length);
    if (!feeds) {
      const e = encoder.encodeBatch(items);
      if (e.kind !== 'features') throw new Error('features encoder returned a non-features batch');
      feeds = { [session.inputNames[0]]: new ort.Tensor('float32', e.data, [items.length, e.dIn]) };
      cache.set(items.length, feeds);
    }
    return session.run(feeds);
  };
}

async function probeLoad(backend: string, dir: string): Promise<LoadProbe> {
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'load-probe.js');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', probe, backend, dir], {
      timeout: 120_000,
    });
    return { backend, ...(JSON.parse(stdout.trim().split('\n').pop() as string) as object) };
  } catch (e) {
    return { backend, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

export async function benchPredict(
  opts: { rounds?: number; perRound?: number; progress?: Progress } = {},
): Promise<PredictBenchResult> {
  const progress = opts.progress ?? (() => undefined);
  const notes: string[] = [];
  progress('writing the full-size model (d_in 3779, d_hidden 512, n_layers 3)');
  const bundles = await makeFullSizeBundles();
  try {
    const { fns, planners } = await contenders(bundles, notes, progress);
    progress(`latency: ${Object.keys(fns).join(', ')} in ${opts.rounds ?? 10} interleaved rounds`);
    const samples = await interleaved(fns, opts.rounds ?? 10, opts.perRound ?? 300);
    const latency = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    progress(`batch throughput (interleaved): bare, ${Object.keys(planners).join(', ')}`);
    const batchFns: Record<string, BatchFn> = { 'onnx.bare': await bareBatched(bundles.onnxModel) };
    for (const [name, p] of Object.entries(planners))
      batchFns[name.replace('.predict', '')] = (items) => p.predictMany(items);
    const batches = await batchThroughput(batchFns, (batch) => Math.max(5, Math.round(600 / batch)));
    for (const p of Object.values(planners)) await p.dispose();
    const loads: LoadProbe[] = [];
    for (const [backend, dir] of [
      ['onnx', bundles.onnxDir],
      ['tfjs', bundles.tfjsDir],
    ] as const) {
      progress(`load time and RSS: ${backend} in a fresh process`);
      loads.push(await probeLoad(backend, dir));
    }
    return { latency, batches, loads, notes };
  } finally {
    rmSync(bundles.root, { recursive: true, force: true });
  }
}
