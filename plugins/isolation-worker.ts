/**
 * The isolation worker script for registries built by `createDefaultRegistry()`: the child starts with the built-in
 * backends, passed to the worker explicitly.
 */
import { runIsolationWorker } from '../core/isolation/worker-main.js';
import { createDefaultRegistry } from './index.js';

runIsolationWorker(() => createDefaultRegistry());
