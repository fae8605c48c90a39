// A library caller as a plain script (run from the built dist/): loads an isolated planner (`isolation: process`)
// with a timeout below the model's run time, then predicts twice. The first call times out (its child is killed);
// the second waits for the replacement. Nothing else keeps this process alive and it never calls dispose(): it must
// print both reasons and then exit 0 by itself once the pool is idle.
//   node isolation-exit-script.mjs slow-model TIMEOUT_MS   fixtures/bundles/slow-model on onnx (slow by its graph)
//   node isolation-exit-script.mjs blocking TIMEOUT_MS     the test backend `blocking`, whose calls never end in time
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = (...p) => pathToFileURL(join(root, 'dist', ...p)).href;
const { PlannerInference, buildPlannerInput, resolveInferenceConfig } = await import(dist('core', 'index.js'));
const { createDefaultRegistry } = await import(dist('plugins', 'index.js'));

const [mode = 'slow-model', timeout = '20'] = process.argv.slice(2);
const blocking = mode === 'blocking';
const config = resolveInferenceConfig({
  modelPath: join(root, 'fixtures', 'bundles', 'slow-model'),
  modelType: blocking ? 'blocking' : 'onnx',
  fallback: [],
  timeoutMs: Number(timeout),
  loadTimeoutMs: 120_000,
  isolation: 'process',
  backendOptions: { blocking: { blockMs: 600_000 } },
});
const isolation = blocking ? { plugins: [join(here, 'isolation-plugins.mjs')] } : undefined;
const planner = await PlannerInference.create(config, { registry: createDefaultRegistry(), isolation });
process.stdout.write(`backend ${planner.backend}\n`);
// the blocking backend blocks only for issue ids starting with "block-" (not for the warm-up)
const input = (id) =>
  buildPlannerInput({
    issue: { id: `block-${id}`, dk_risk: 'low', dk_size: 'S', title: id },
    now: Date.UTC(2026, 0, 1),
  });
const first = await planner.predict(input('1'));
process.stdout.write(`first ${first.action.reason}\n`);
const second = await planner.predict(input('2'));
process.stdout.write(`second ${second.action.reason}\n`);
