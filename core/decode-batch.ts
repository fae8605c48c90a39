/**
 * Decoding a whole batch of backend outputs: one `decodeJoint` per item, each under the job type its input names.
 * A bad item (invalid logits, no valid action) becomes an error for that item alone.
 */
import type { ActionSpace } from './action-space.js';
import type { HeadLogits } from './backend/plugin.js';
import { decodeJobType } from './decode-job-type.js';
import { decodeJoint, type DecodeOptions, type DecodeResult } from './decode.js';
import type { PlannerInputV1 } from './planner-input-types.js';

export type DecodeOutcome = { readonly decoded: DecodeResult } | { readonly error: unknown };

export function decodeBatch(logits: readonly HeadLogits[], space: ActionSpace, inputs: readonly PlannerInputV1[], options: DecodeOptions): DecodeOutcome[] {
  return inputs.map((input, i): DecodeOutcome => {
    try {
      return { decoded: decodeJoint(logits[i], space, decodeJobType(input.job_type), options) };
    } catch (error) {
      return { error };
    }
  });
}
