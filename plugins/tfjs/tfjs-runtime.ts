/**
 * Picks the TensorFlow.js backend at run time, lazily: `@tensorflow/tfjs-node` when installed (optional dependency),
 * else `@tensorflow/tfjs-backend-wasm` (its .wasm files from the package's own dist directory, one thread), else
 * `@tensorflow/tfjs-backend-cpu`. tfjs-core keeps its engine as a library-global singleton; that is the library's.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type Tf = typeof TfCore;

export interface TfjsRuntime {
  readonly tf: Tf;
  /** The tfjs backend that runs (`tensorflow` is tfjs-node). */
  readonly backend: TfjsBackendName;
}

export const DEFAULT_BACKEND_ORDER: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Imports a module whose name TypeScript should not resolve (optional dependencies). */
const dynamicImport = (specifier: string): Promise<Record<string, unknown>> => import(specifier);

async function register(tf: Tf, name: TfjsBackendName): Promise<void> {
  if (name === 'tensorflow') {
    await dynamicImport('@tensorflow/tfjs-node');
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    wasm.setThreadsCount(1);
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/** Loads tfjs-core and the first backend of `order` that works; rejects BACKEND_INIT_FAILED if none does. */
export async function loadTfjsRuntime(
  logger: Logger,
  order: readonly TfjsBackendName[] = DEFAULT_BACKEND_ORDER,
): Promise<TfjsRuntime> {
  const tf = (await import('@tensorflow/tfjs-core')) as Tf;
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (tf.getBackend() !== name || tf.findBackend(name) === null) await register(tf, name);
      logger.info({ tfjsBackend: name }, `tfjs backend: ${name}`);
      return { tf, backend: name };
    } catch (cause) {
      failures.push(`${name}: ${(cause as Error).message.split('\n')[0]}`);
      logger.debug({ tfjsBackend: name, err: (cause as Error).message }, `tfjs backend ${name} unavailable`);
    }
  }
  throw new PlannerError(
    ErrorCodes.BACKEND_INIT_FAILED,
    `no TensorFlow.js backend could start (${failures.join('; ')}); install @tensorflow/tfjs-backend-wasm or -cpu`,
    {
      context: { backend: 'tfjs', failures },
    },
  );
}
