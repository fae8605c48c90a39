/**
 * The registry the benchmarks use (the built-in one), also the `registryModule` of the bench's `process`-isolation
 * workers, which import it and call `createRegistry`.
 */
import type { BackendRegistry } from '../core/backend/registry.js';
import { createDefaultRegistry } from '../plugins/index.js';

export async function createRegistry(): Promise<BackendRegistry> {
  return createDefaultRegistry();
}
