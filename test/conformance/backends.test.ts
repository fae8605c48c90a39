/** The one conformance suite, run over every backend plugin: the built-ins, a test-only one, and each bundle style. */
import { join } from 'node:path';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { tfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { runBackendContract } from '../../plugins/conformance/index.js';

const bundles = join(import.meta.dirname, '..', '..', 'fixtures', 'bundles');

runBackendContract({ plugin: heuristicPlugin, bundleDir: null });
runBackendContract({
  plugin: scriptedPlugin({
    script: (i) => prefer({ swarm: i.issue.dk_risk === 'high' ? 1 : 0, candidates: 0, minutes: 1, iterations: 4 }),
  }),
  bundleDir: makeScriptedBundle(),
});
// onnx: the spec's 3779-feature bundle and the Python planner's token bundle.
runBackendContract({ plugin: onnxPlugin, bundleDir: join(bundles, 'onnx-spec-small') });
runBackendContract({
  plugin: onnxPlugin,
  bundleDir: join(bundles, 'onnx-python-small'),
  label: 'onnx (python bundle)',
});
// the same plugin with its session in a worker thread (`planner.backend_options.onnx.runIn: worker`)
runBackendContract({
  plugin: onnxPlugin,
  bundleDir: join(bundles, 'onnx-spec-small'),
  label: 'onnx (runIn: worker)',
  options: { runIn: 'worker' },
});
// tfjs serves `model.type: torch` from a PyTorch checkpoint; batched float32 matmuls may differ in the last bits.
runBackendContract({ plugin: tfjsPlugin, bundleDir: join(bundles, 'torch-features'), tolerance: 1e-4 });
