/** A tfjs backend session: one MLPPolicy forward per batch; disposed sessions reject with SESSION_DISPOSED. */
import type { BackendSession, HeadLogits, InferBatch } from '../../core/backend/plugin.js';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import type { MlpPolicyWeights } from '../../core/mlp-policy.js';
import { TfjsMlpPolicy } from './mlp-policy-tfjs.js';
import type { TfjsRuntime } from './tfjs-runtime.js';

export function createTfjsSession(
  runtime: TfjsRuntime,
  weights: MlpPolicyWeights,
  info: Record<string, unknown>,
): BackendSession {
  let model: TfjsMlpPolicy | null = new TfjsMlpPolicy(runtime.tf, weights);
  const dIn = weights.dims.dIn;
  return {
    backend: 'tfjs',
    input: { kind: 'features', dIn },
    info: { ...info, tfjsBackend: runtime.backend },
    async infer(batch: InferBatch): Promise<HeadLogits[]> {
      if (!model) throw new PlannerError(ErrorCodes.SESSION_DISPOSED, 'tfjs session was disposed; create a new one');
      const enc = batch.encoded;
      if (enc.kind !== 'features' || enc.dIn !== dIn) {
        throw new PlannerError(
          ErrorCodes.ENCODER_DIM_MISMATCH,
          `tfjs session expects features of width ${dIn}, got ${enc.kind === 'features' ? `width ${enc.dIn}` : enc.kind}`,
          {
            context: { backend: 'tfjs', dIn },
          },
        );
      }
      if (enc.size === 0) return [];
      try {
        return await model.forward(enc.data, enc.size);
      } catch (cause) {
        throw new PlannerError(ErrorCodes.INFERENCE_FAILED, `tfjs inference failed: ${(cause as Error).message}`, {
          context: { backend: 'tfjs' },
          cause,
        });
      }
    },
    async dispose() {
      model?.dispose();
      model = null;
    },
  };
}
