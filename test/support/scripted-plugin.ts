/**
 * A backend defined only in test/: proves a new backend drops in without touching core/. Its logits come from a
 * script function; it can be slow, blocking, failing or non-finite on demand.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendPlugin, HeadLogits } from '../../core/backend/plugin.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { makeTempDir } from './temp-dir.js';

export type Script = (input: PlannerInputV1, index: number) => Record<string, number[]>;

export interface ScriptedOptions {
  name?: string;
  priority?: number;
  script: Script;
  /** Async delay before answering. */
  delayMs?: number;
  /** Synchronous busy-wait (blocks the event loop, like an in-process native call). */
  blockMs?: number;
  failInit?: boolean;
  failSession?: boolean;
  /** Async delay inside createSession (a slow load). */
  sessionDelayMs?: number;
  throwOnInfer?: () => Error;
  calls?: { init: number; infer: number; disposed: number };
}

export function scriptedPlugin(opts: ScriptedOptions): BackendPlugin {
  const calls = opts.calls ?? { init: 0, infer: 0, disposed: 0 };
  const name = opts.name ?? 'scripted';
  return {
    apiVersion: 1,
    name,
    aliases: [`${name}-alias`],
    priority: opts.priority ?? 10,
    description: 'test-only scripted backend',
    needsBundle: true,
    bundleSchema: {
      $id: `https://cyntra-planner/test/${name}-bundle.json`,
      type: 'object',
      required: ['files'],
      properties: { files: { type: 'object', required: ['scripted.json'] } },
    },
    async init() {
      calls.init++;
      if (opts.failInit) throw new Error('native module not found (simulated)');
    },
    async createSession() {
      if (opts.failSession) throw new Error('model file is corrupt (simulated)');
      if (opts.sessionDelayMs) await new Promise((r) => setTimeout(r, opts.sessionDelayMs));
      let disposed = false;
      return {
        backend: name,
        input: { kind: 'raw' as const },
        info: { scripted: true },
        async infer(batch) {
          if (disposed)
            throw new PlannerError(ErrorCodes.SESSION_DISPOSED, `${name}: the session was disposed; create a new one`);
          calls.infer++;
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
          if (opts.blockMs) {
            const end = performance.now() + opts.blockMs;
            while (performance.now() < end) {
              /* blocking on purpose */
            }
          }
          if (opts.throwOnInfer) throw opts.throwOnInfer();
          return batch.inputs.map((input, i): HeadLogits => {
            const l = opts.script(input, i);
            return {
              swarm: Float32Array.from(l.swarm),
              candidates: Float32Array.from(l.candidates),
              minutes: Float32Array.from(l.minutes),
              iterations: Float32Array.from(l.iterations),
            };
          });
        },
        async dispose() {
          if (disposed) return;
          disposed = true;
          calls.disposed++;
        },
      };
    },
  };
}

/** A bundle directory with the spec's default action space and the scripted marker file. */
export function makeScriptedBundle(extra: Record<string, unknown> = {}): string {
  const dir = makeTempDir('cyntra-scripted-');
  writeFileSync(join(dir, 'scripted.json'), '{}');
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'mlp',
      encoder: 'features.v1',
      action_space: {
        swarm_ids: ['serial_handoff', 'speculate_vote'],
        max_candidates_bins: [1, 2, 3, 'NA'],
        max_minutes_bins: [15, 30, 45, 60, 120, 'NA'],
        max_iterations_bins: [1, 2, 3, 5, 'NA'],
      },
    }),
  );
  for (const [file, value] of Object.entries(extra))
    writeFileSync(join(dir, file), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}

/** Logits that strongly prefer the given indices (10 vs 0). */
export function prefer(
  idx: { swarm: number; candidates: number; minutes: number; iterations: number },
  strength = 10,
): Record<string, number[]> {
  const head = (n: number, i: number) => Array.from({ length: n }, (_, k) => (k === i ? strength : 0));
  return {
    swarm: head(2, idx.swarm),
    candidates: head(4, idx.candidates),
    minutes: head(6, idx.minutes),
    iterations: head(5, idx.iterations),
  };
}
