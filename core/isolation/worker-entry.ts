/**
 * The generic isolation worker script: an empty registry, filled from the load request's `registryModule` and
 * `planner.plugins`. Forked when the parent's registry names no worker entry of its own.
 */
import { runIsolationWorker } from './worker-main.js';

runIsolationWorker();
