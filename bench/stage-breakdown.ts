/**
 * Per-stage cost of batched planning at one batch size (default 64) on the full-size onnx model: input hash
 * (canonical JSON + SHA-256), encoding, bare `session.run`, the plugin's `infer`, decode, and what is left of a
 * `predictMany` call (gate + caps + record). Stages are timed on their own (warm) and inside `predictMany` (its
 * `onBatch` hook), where work after a full-size run finds the CPU caches cold. Standalone: `node dist/bench/stage-breakdown.js [batch] [rounds]`
 * prints JSON in seconds; `npm run bench` includes it. It also checks the batched records against one-by-one
 * `predict` (actions, input_hash, confidence within 1e-12). Both `runIn` modes of the onnx plugin run interleaved with
 * bare `session.run`; each mode also reports the CPU time per item of the planner's thread and of the busiest other
 * thread (the worker thread's run), which says what the worker mode gives where a core is free for it.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ActionSpace } from '../core/action-space.js';
import type { HeadLogits } from '../core/backend/plugin.js';
import { loadBundle } from '../core/bundle/load-bundle.js';
import { canonicalJson, inputHash } from '../core/canonical-json.js';
import { decodeBatch } from '../core/decode-batch.js';
import { createFeaturesEncoder } from '../core/encoders/features-encoder.js';
import { silentLogger } from '../core/logger.js';
import type { PlannerInputV1 } from '../core/planner-input-types.js';
import type { BatchStages } from '../core/planner-inference.js';
import { onnxPlugin } from '../plugins/onnx/onnx-plugin.js';
import { realisticInput } from './encode-bench.js';
import { makeFullSizeBundles } from './fullsize-bundle.js';
import { bareSession, plannerFor } from './predict-bench.js';
import { median, round } from './stats.js';
import { addCpu, mainAndBusiest, threadCpu } from './thread-cpu.js';

export interface StageBreakdown {
  readonly batch: number;
  readonly rounds: number;
  /** Median µs per item of each stage, timed on its own. */
  readonly isolatedUsPerItem: Record<string, number>;
  /** Median µs per item inside `predictMany`, from its `onBatch` stage timings; total = wall time of the call. */
  readonly inPipelineUsPerItem: Record<string, number>;
  /** The same with the session in a worker thread (`runIn: worker`): the hash overlaps the run. */
  readonly inWorkerPipelineUsPerItem: Record<string, number>;
  readonly predictManyItemsPerSec: number;
  readonly workerItemsPerSec: number;
  readonly bareRunItemsPerSec: number;
  /** Bare session.run timed in the same loop as the two planners (interleaved). */
  readonly bareInLoopItemsPerSec: number;
  readonly ratio: number;
  readonly workerRatio: number;
  /** predictMany / bare session.run, all three interleaved in one loop. */
  readonly inLoopRatios: { readonly caller: number; readonly worker: number };
  readonly exactness: { readonly items: number; readonly mismatches: number };
  readonly workerExactness: { readonly items: number; readonly mismatches: number };
}

async function timeMany(rounds: number, fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchStages(opts: { batch?: number; rounds?: number } = {}): Promise<StageBreakdown> {
  const batch = opts.batch ?? 64;
  const rounds = opts.rounds ?? 40;
  const inputs: PlannerInputV1[] = Array.from({ length: batch }, (_, i) => realisticInput(i));
  const b = await makeFullSizeBundles();
  try {
    const { ort, session: bare } = await bareSession(b.onnxModel);
    const session = await onnxPlugin.createSession(await loadBundle(b.onnxDir), {
      logger: silentLogger,
      options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
    const encoder = createFeaturesEncoder();
    const encoded = encoder.encodeBatch(inputs);
    if (encoded.kind !== 'features') throw new Error('features encoder returned a non-features batch');
    const feeds = { [bare.inputNames[0]]: new ort.Tensor('float32', encoded.data, [batch, encoded.dIn]) };
    const logits: HeadLogits[] = await session.infer({ inputs, encoded });
    const noCreatedAt = inputs.map(({ created_at: _c, ...rest }) => rest);
    const space = ActionSpace.defaults();
    const per = (ms: number[]) => round((median(ms) * 1000) / batch, 2);
    const isolated: Record<string, number> = {
      canonical_json: per(await timeMany(rounds, () => noCreatedAt.map((x) => canonicalJson(x)))),
      input_hash: per(await timeMany(rounds, () => inputs.map((x) => inputHash(x as never)))),
      encode: per(await timeMany(rounds, () => encoder.encodeBatch(inputs))),
      bare_session_run: per(await timeMany(rounds, () => bare.run(feeds))),
      plugin_infer: per(await timeMany(rounds, () => session.infer({ inputs, encoded }))),
      decode: per(
        await timeMany(rounds, () =>
          decodeBatch(logits, space, inputs, { temperatures: null, confidenceMode: 'geomean' }),
        ),
      ),
    };
    // Both planners (session on the caller's thread, and `runIn: worker`) and bare session.run, interleaved.
    const modes = await pipelines(b.onnxDir, inputs);
    const bareLoop: number[] = [];
    for (let i = 0; i < rounds + 3; i++) {
      for (const m of modes) await m.once();
      const t0 = performance.now();
      await bare.run(feeds);
      if (i >= 3) bareLoop.push(performance.now() - t0);
    }
    const [inPipeline, inWorkerPipeline] = modes.map((m) => m.summary(per));
    const p = modes[0].planner;
    const exactness = await compareWithSingles(p, inputs);
    const workerExactness = await compareWithSingles(modes[1].planner, inputs);
    for (const m of modes) await m.planner.dispose();
    await session.dispose();
    await bare.release();
    const predictManyItemsPerSec = Math.round(1e6 / inPipeline.total);
    const bareRunItemsPerSec = Math.round(1e6 / isolated.bare_session_run);
    const bareInLoopItemsPerSec = Math.round(1e6 / per(bareLoop));
    const workerItemsPerSec = Math.round(1e6 / inWorkerPipeline.total);
    return {
      batch,
      rounds,
      isolatedUsPerItem: isolated,
      inPipelineUsPerItem: inPipeline,
      inWorkerPipelineUsPerItem: inWorkerPipeline,
      predictManyItemsPerSec,
      workerItemsPerSec,
      bareRunItemsPerSec,
      bareInLoopItemsPerSec,
      ratio: round(predictManyItemsPerSec / bareRunItemsPerSec, 3),
      workerRatio: round(workerItemsPerSec / bareRunItemsPerSec, 3),
      inLoopRatios: {
        caller: round(predictManyItemsPerSec / bareInLoopItemsPerSec, 3),
        worker: round(workerItemsPerSec / bareInLoopItemsPerSec, 3),
      },
      exactness,
      workerExactness,
    };
  } finally {
    rmSync(b.root, { recursive: true, force: true });
  }
}

interface Pipeline {
  readonly planner: Awaited<ReturnType<typeof plannerFor>>;
  once(): Promise<void>;
  summary(per: (ms: number[]) => number): Record<string, number>;
}

/** A planner per `runIn` mode, each timing its `predictMany` calls and keeping their `onBatch` stages. */
async function pipelines(dir: string, inputs: PlannerInputV1[]): Promise<Pipeline[]> {
  const out: Pipeline[] = [];
  for (const runIn of ['caller', 'worker']) {
    const totals: number[] = [];
    const stages: BatchStages[] = [];
    const cpu = new Map<string, number>();
    const onnx = { intraOpNumThreads: 1, interOpNumThreads: 1, runIn };
    const planner = await plannerFor(dir, 'onnx', { backendOptions: { onnx } }, { onBatch: (st) => stages.push(st) });
    out.push({
      planner,
      async once() {
        const c0 = totals.length >= 3 ? threadCpu() : null;
        const t0 = performance.now();
        await planner.predictMany(inputs);
        totals.push(performance.now() - t0);
        const c1 = c0 && threadCpu();
        if (c0 && c1) addCpu(cpu, c0, c1);
      },
      summary(per) {
        const stage = (k: keyof BatchStages) => per(stages.slice(3).map((st) => st[k]));
        return {
          total: per(totals.slice(3)),
          input_hash: stage('hashMs'),
          encode: stage('encodeMs'),
          infer_wait: stage('inferMs'),
          decode: stage('decodeMs'),
          gate_record: stage('gateMs'),
          ...cpuPerItem(cpu, totals.length - 3, inputs.length),
        };
      },
    });
  }
  return out;
}

/** CPU µs per item of the planner's thread and of the busiest other thread (the worker's run), if measurable. */
function cpuPerItem(cpu: Map<string, number>, calls: number, batch: number): Record<string, number> {
  if (cpu.size === 0 || calls <= 0) return {};
  const { main, other } = mainAndBusiest(cpu);
  const us = (s: number) => round((s * 1e6) / (calls * batch), 1);
  return { cpu_main_thread: us(main), cpu_busiest_other_thread: us(other) };
}

/** Every batched record against one-by-one `predict`: identical apart from confidence and probs (within 1e-12). */
async function compareWithSingles(
  p: Awaited<ReturnType<typeof plannerFor>>,
  inputs: PlannerInputV1[],
): Promise<{ items: number; mismatches: number }> {
  const many = await p.predictMany(inputs);
  let mismatches = 0;
  for (let i = 0; i < inputs.length; i++) {
    const { confidence: c1, probs: p1, ...one } = (await p.predict(inputs[i])).record;
    const { confidence: c2, probs: p2, ...batched } = many[i].record;
    one.created_at = batched.created_at; // the clock moves between the two runs
    const close = (a: number[] = [], b: number[] = []) =>
      a.length === b.length && a.every((x, k) => Math.abs(x - b[k]) <= 1e-12);
    const probsClose = Object.keys({ ...p1, ...p2 }).every((h) => close(p1?.[h], p2?.[h]));
    if (JSON.stringify(one) !== JSON.stringify(batched) || Math.abs(c1 - c2) > 1e-12 || !probsClose) mismatches++;
  }
  return { items: inputs.length, mismatches };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [batch, rounds] = process.argv.slice(2).map(Number);
  benchStages({ batch: batch || undefined, rounds: rounds || undefined })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`stage breakdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
