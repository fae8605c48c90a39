/**
 * The scripted test backend as a plugin module, so `run` (which builds its own registry) can load it from
 * `planner.plugins`. Strength 3 on MODEL_PICK: a confidence between the default 0.6 threshold and 0.95.
 */
import { prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { MODEL_PICK } from './kernel-helpers.js';

export default scriptedPlugin({ script: () => prefer(MODEL_PICK, 3) });
