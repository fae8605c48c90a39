/**
 * The heuristic backend: the spec's baseline rules (core/heuristic-baseline.ts) served as a backend. It needs no
 * bundle and never fails. Its logits put all the mass on the heuristic's action (0 for the chosen class, −30
 * elsewhere), so the generic decoder recovers exactly that action with confidence ≈ 1.
 */
import { ActionSpace } from '../../core/action-space.js';
import type { BackendPlugin, BackendSession, HeadLogits } from '../../core/backend/plugin.js';
import { PLUGIN_API_VERSION } from '../../core/backend/plugin.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import { heuristicAction } from '../../core/heuristic-baseline.js';

const OFF_LOGIT = -30;

function oneHot(size: number, index: number): Float32Array {
  const v = new Float32Array(size).fill(OFF_LOGIT);
  v[index] = 0;
  return v;
}

function createHeuristicSession(space: ActionSpace): BackendSession {
  let disposed = false;
  return {
    backend: 'heuristic',
    input: { kind: 'raw' },
    info: { rules: 'track-2 risk/size baseline' },
    async infer(batch) {
      if (disposed)
        throw new PlannerError(ErrorCodes.SESSION_DISPOSED, 'heuristic session was disposed; create a new one');
      return batch.inputs.map((input): HeadLogits => {
        const idx = space.indexOf(heuristicAction(input, space));
        return {
          swarm: oneHot(space.headSize('swarm'), idx.swarm),
          candidates: oneHot(space.headSize('candidates'), idx.candidates),
          minutes: oneHot(space.headSize('minutes'), idx.minutes),
          iterations: oneHot(space.headSize('iterations'), idx.iterations),
        };
      });
    },
    async dispose() {
      disposed = true;
    },
  };
}

export const heuristicPlugin: BackendPlugin = {
  apiVersion: PLUGIN_API_VERSION,
  name: 'heuristic',
  aliases: ['baseline'],
  priority: 0,
  description: 'Rule-based baseline (risk → speculate_vote, size → budgets); needs no bundle, never fails.',
  needsBundle: false,
  async init() {
    // Nothing to load.
  },
  async createSession(bundle) {
    return createHeuristicSession(bundle?.actionSpace ?? ActionSpace.defaults());
  },
};
