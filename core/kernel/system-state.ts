/** The `system_state` block of planner_input (reference §2): counts binned, hour bucket, toolchains; the rest null. */
import { binCount, hourBucket } from '../planner-input.js';
import type { SystemState } from '../planner-input-types.js';

export function systemStateSnapshot(opts: {
  activeWorkcells: number;
  queueDepth: number | null;
  toolchains: readonly string[] | null;
  now: number;
}): SystemState {
  return {
    active_workcells_bin: binCount(opts.activeWorkcells),
    queue_depth_bin: opts.queueDepth === null ? null : binCount(opts.queueDepth),
    available_toolchains: opts.toolchains ? [...opts.toolchains] : null,
    toolchain_health: null,
    hour_bucket: hourBucket(opts.now),
    budget_remaining_bin: null,
  };
}
