/**
 * The built-in registry plus `constant`: a features backend (d_in from the bundle config) that answers every item
 * with the same logits at once. Through `isolation: process` it leaves only the transport and its plumbing to
 * measure (bench/transport-bench.ts); the forked workers import this module as their `registryModule`.
 */
import type { BackendPlugin, HeadLogits } from '../core/backend/plugin.js';
import type { BackendRegistry } from '../core/backend/registry.js';
import { createDefaultRegistry } from '../plugins/index.js';

const logits: HeadLogits = {
  swarm: Float32Array.of(0.5, -0.5),
  candidates: Float32Array.of(1, 2, 3, 4),
  minutes: Float32Array.of(1, 2, 3, 4, 5, 6),
  iterations: Float32Array.of(5, 4, 3, 2, 1),
};

const constantPlugin: BackendPlugin = {
  apiVersion: 1,
  name: 'constant',
  priority: 1,
  description: 'bench backend: the same logits for every item',
  needsBundle: true,
  init: async () => undefined,
  createSession: async (bundle) => ({
    backend: 'constant',
    input: { kind: 'features', dIn: Number(bundle?.config?.d_in ?? 3779) },
    info: {},
    infer: async (batch) => Array.from({ length: batch.encoded.size }, () => logits),
    dispose: async () => undefined,
  }),
};

export async function createRegistry(): Promise<BackendRegistry> {
  return createDefaultRegistry().register(constantPlugin);
}
