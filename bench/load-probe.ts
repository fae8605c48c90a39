/**
 * Child-process probe for `bench/run.ts`: loads one backend in a fresh process and prints, as one JSON line,
 * the load time and the resident set size after load (so one backend's memory does not count against another).
 * Usage: node dist/bench/load-probe.js <backend> <bundle-dir>
 */
import { performance } from 'node:perf_hooks';
import { resolveInferenceConfig } from '../core/inference-config.js';
import { PlannerInference } from '../core/planner-inference.js';
import { createRegistry } from './bench-registry.js';

async function main(): Promise<void> {
  const [backend, dir] = process.argv.slice(2);
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType: backend,
    fallback: [],
    backendOptions: { onnx: { intraOpNumThreads: 1 } },
  });
  const planner = await PlannerInference.create(config, { registry: await createRegistry() });
  const wallMs = performance.now() - t0;
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write(
    JSON.stringify({ backend, answered: planner.backend, loadMs: planner.loadMs, wallMs, rssBeforeMb, rssMb }) + '\n',
  );
  await planner.dispose();
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: String(e) }) + '\n');
  process.exitCode = 1;
});
