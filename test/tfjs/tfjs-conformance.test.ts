/** The shared backend conformance suite over the tfjs plugin, on a features.v1-sized (d_in 3779) random bundle. */
import { runBackendContract } from '../../plugins/conformance/index.js';
import { randomMlpPolicyWeights } from '../../plugins/tfjs/random-weights.js';
import { tfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';
import { SMALL_DIMS, writeTfjsBundle } from './tfjs-fixtures.js';

const bundleDir = writeTfjsBundle(randomMlpPolicyWeights({ ...SMALL_DIMS, dIn: 3779, dHidden: 16 }, 5));

runBackendContract({ plugin: tfjsPlugin, bundleDir, tolerance: 1e-5 });
