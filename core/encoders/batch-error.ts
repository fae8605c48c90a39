/** Errors of one batch item: they gain the item's index, and an unexpected (non-PlannerError) throw becomes a coded one. */
import { ErrorCodes, PlannerError } from '../errors.js';

export function encodeItem<T>(index: number, encoder: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw itemError(index, encoder, e);
  }
}

/** What `encodeItem` throws for an error `e` of item `index` (for loops that catch once around the whole batch). */
export function itemError(index: number, encoder: string, e: unknown): PlannerError {
  if (e instanceof PlannerError) {
    return new PlannerError(e.code, `${encoder}, batch item ${index}: ${e.message}`, {
      context: { ...e.context, batchIndex: index },
      cause: e,
    });
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new PlannerError(
    ErrorCodes.ENCODER_INVALID_INPUT,
    `${encoder} could not encode batch item ${index} (${what}); check the planner input`,
    { context: { batchIndex: index }, cause: e },
  );
}
