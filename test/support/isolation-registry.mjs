// Registry module for isolation workers in tests (`IsolationOptions.registryModule`): the built-in registry from
// dist/. Plain ESM: it runs in the child process.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

export async function createRegistry() {
  const { createDefaultRegistry } = await import(pathToFileURL(join(dist, 'plugins', 'index.js')).href);
  return createDefaultRegistry();
}
