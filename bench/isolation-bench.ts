/**
 * What `inference.isolation: process` costs per call, on the full-size MLP, in one run with interleaved rounds:
 * in-process `predict` against `predict` through a pool of one child, the same at the session level (`infer` of a
 * pre-encoded batch), `predictMany` at b64/b256, and a split of one round trip (parent→child, the child's infer,
 * child→parent) from monotonic-clock stamps taken on both sides (bench/timed-registry.ts).
 *
 * With ISO_BASELINE_DIST=<another build's dist/> the same contenders also run through that build's isolation, in
 * the same process and the same rounds: a before/after comparison that the machine's noise hits alike.
 *
 *   node dist/bench/isolation-bench.js [rounds=20] [perRound=50]
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendSession } from '../core/backend/plugin.js';
import type { InputEncoder } from '../core/encoders/encoder.js';
import type { BatchStages, PlannerInference } from '../core/planner-inference.js';
import type { PlannerInputV1 } from '../core/planner-input-types.js';
import { realisticInput } from './encode-bench.js';
import { makeFullSizeBundles } from './fullsize-bundle.js';
import { interleaved, summarize } from './stats.js';
import { processCpuNs } from './thread-cpu.js';

type Isolation = 'in-process' | 'process';
type Model = { session: BackendSession & { pool?: { pids: number[] } }; encoder: InputEncoder };

const inputs: PlannerInputV1[] = Array.from({ length: 256 }, (_, i) => realisticInput(i));
const hr = (): number => Number(process.hrtime.bigint()) / 1e6;

const stages: Record<string, BatchStages[]> = {};

async function plannerFrom(root: string, dir: string, isolation: Isolation, label: string): Promise<PlannerInference> {
  const at = (p: string) => pathToFileURL(join(root, p)).href;
  const { PlannerInference: PI } = (await import(
    at('core/planner-inference.js')
  )) as typeof import('../core/planner-inference.js');
  const { resolveInferenceConfig } = (await import(
    at('core/inference-config.js')
  )) as typeof import('../core/inference-config.js');
  const registryModule = join(root, 'bench', 'timed-registry.js');
  const { createRegistry } = (await import(pathToFileURL(registryModule).href)) as typeof import('./timed-registry.js');
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType: 'onnx',
    fallback: [],
    timeoutMs: 5000,
    confidenceThreshold: 0,
    backendOptions: { onnx: { intraOpNumThreads: 1, interOpNumThreads: 1 } },
    isolation,
    poolSize: 1,
  });
  const seen: BatchStages[] = (stages[label] = []);
  const onBatch = (s: BatchStages) => s.size === 1 && seen.push(s);
  const p = await PI.create(config, { registry: await createRegistry(), isolation: { registryModule }, onBatch });
  if (p.backend !== 'onnx') throw new Error(`onnx did not load from ${root}: ${JSON.stringify(p.attempts)}`);
  return p;
}

const modelOf = (p: PlannerInference): Model => (p as unknown as { model: Model }).model;

function line(name: string, s: number[]): string {
  const st = summarize(s);
  const us = (v: number) => (v * 1000).toFixed(0).padStart(7);
  return `${name.padEnd(28)} p50 ${us(st.p50Ms)} µs  p90 ${us(st.p90Ms)} µs  p99 ${us(st.p99Ms)} µs`;
}

const median = (v: number[]): number => summarize(v).p50Ms;

/** Parent + child CPU per `predictMany` of `batch` items, µs (one planner at a time: the parent's CPU is its own). */
async function cpuPerBatch(p: PlannerInference, batch: number, n: number): Promise<string> {
  const items = inputs.slice(0, batch);
  for (let i = 0; i < 3; i++) await p.predictMany(items);
  const pid = modelOf(p).session.pool?.pids[0];
  const [p0, c0] = [processCpuNs('self'), pid ? processCpuNs(pid) : 0];
  for (let i = 0; i < n; i++) await p.predictMany(items);
  const [parent, child] = [(processCpuNs('self') - p0) / n / 1000, pid ? (processCpuNs(pid) - c0) / n / 1000 : 0];
  return `parent ${parent.toFixed(0)} + child ${child.toFixed(0)} = ${(parent + child).toFixed(0)} µs`;
}

/**
 * Split of `n` round trips, session-level (`infer` of a pre-encoded batch back to back) or inside `predict` (the
 * parent encodes, hashes and decodes between calls): parent→child start of infer, the child's infer, its end→parent.
 */
async function breakdown(
  p: PlannerInference,
  batch: number,
  n: number,
  label: string,
  viaPredict: boolean,
): Promise<string> {
  const model = modelOf(p);
  const items = inputs.slice(0, batch);
  const call = { inputs: items, encoded: model.encoder.encodeBatch(items) };
  const parent: number[] = [];
  const session = model.session;
  const original = session.infer.bind(session);
  session.infer = async (b, o) => {
    const t0 = hr();
    const r = await original(b, o);
    parent.push(t0, hr());
    return r;
  };
  const once = () => (viaPredict ? p.predictMany(items) : session.infer(call));
  for (let i = 0; i < 20; i++) await once();
  parent.length = 0;
  for (let i = 0; i < n; i++) await once();
  session.infer = original;
  const pid = session.pool?.pids[0] as number;
  const file = join(process.env.ISO_TIMES_DIR as string, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 20));
  const child = (JSON.parse(readFileSync(file, 'utf8')) as number[]).slice(-2 * n);
  const cols: Record<string, number[]> = { total: [], out: [], 'child infer': [], back: [] };
  for (let i = 0; i < n; i++) {
    cols.total.push(parent[2 * i + 1] - parent[2 * i]);
    cols.out.push(child[2 * i] - parent[2 * i]);
    cols['child infer'].push(child[2 * i + 1] - child[2 * i]);
    cols.back.push(parent[2 * i + 1] - child[2 * i + 1]);
  }
  const parts = Object.entries(cols).map(([k, v]) => `${k} ${(median(v) * 1000).toFixed(0).padStart(5)}`);
  return `${label.padEnd(13)} ${viaPredict ? 'predict' : 'infer  '} b${String(batch).padEnd(3)} (µs) ${parts.join('  ')}`;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 20);
  const perRound = Number(process.argv[3] ?? 50);
  const here = dirname(dirname(fileURLToPath(import.meta.url)));
  const base = process.env.ISO_BASELINE_DIST;
  process.env.ISO_TIMES_DIR ??= mkdtempSync(join(tmpdir(), 'iso-times-'));
  const bundles = await makeFullSizeBundles();
  const planners: Record<string, PlannerInference> = {
    inproc: await plannerFrom(here, bundles.onnxDir, 'in-process', 'inproc'),
    process: await plannerFrom(here, bundles.onnxDir, 'process', 'process'),
  };
  if (base) planners.base_process = await plannerFrom(base, bundles.onnxDir, 'process', 'base_process');
  const out: string[] = [];
  const predicts = Object.fromEntries(
    Object.entries(planners).map(([k, p]) => [`${k}.predict`, (i: number) => p.predict(inputs[i % 64])]),
  );
  const encodedB1 = inputs
    .slice(0, 64)
    .map((x) => ({ inputs: [x], encoded: modelOf(planners.inproc).encoder.encodeBatch([x]) }));
  const infers = Object.fromEntries(
    Object.entries(planners).map(([k, p]) => [
      `${k}.infer_b1`,
      (i: number) => modelOf(p).session.infer(encodedB1[i % 64]),
    ]),
  );
  const lat = await interleaved({ ...predicts, ...infers }, rounds, perRound);
  for (const [k, s] of Object.entries(lat)) out.push(line(k, s));
  for (const [k, list] of Object.entries(stages)) {
    const keys = ['hashMs', 'encodeMs', 'inferMs', 'decodeMs', 'gateMs'] as const;
    const parts = keys.map((key) => `${key.replace('Ms', '')} ${(median(list.map((s) => s[key])) * 1000).toFixed(0)}`);
    out.push(`${`${k}.predict stages (µs)`.padEnd(28)} ${parts.join('  ')}`);
  }
  for (const who of Object.keys(planners).filter((k) => k !== 'inproc')) {
    for (const what of ['predict', 'infer_b1']) {
      const a = lat[`${who}.${what}`];
      const b = lat[`inproc.${what}`];
      const diff = a.map((v, i) => v - b[i]);
      out.push(line(`${who}-inproc.${what} (paired)`, diff));
      out.push(`${''.padEnd(28)} p50 difference ${((median(a) - median(b)) * 1000).toFixed(0)} µs`);
    }
  }
  for (const batch of [64, 256]) {
    const items = inputs.slice(0, batch);
    const many = Object.fromEntries(
      Object.entries(planners).map(([k, p]) => [`${k}.many_b${batch}`, () => p.predictMany(items)]),
    );
    const s = await interleaved(many, Math.max(5, Math.round((rounds * perRound) / batch)), 2);
    for (const [k, v] of Object.entries(s))
      out.push(`${line(k, v)}  ${((batch * 1000) / median(v)).toFixed(0)} items/s`);
  }
  for (let r = 0; r < 3; r++)
    for (const batch of [64, 256])
      for (const [k, p] of Object.entries(planners))
        out.push(`${`${k}.many_b${batch} cpu`.padEnd(28)} ${await cpuPerBatch(p, batch, Math.round(1280 / batch))}`);
  for (const [k, p] of Object.entries(planners)) {
    if (k === 'inproc') continue;
    for (const batch of [1, 64])
      for (const viaPredict of [false, true])
        out.push(await breakdown(p, batch, batch === 1 ? 400 : 100, k, viaPredict));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  for (const p of Object.values(planners)) await p.dispose();
  rmSync(bundles.root, { recursive: true, force: true });
}

await main();
