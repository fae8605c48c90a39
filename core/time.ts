/** RFC 3339 as the Python planner writes it: `2023-11-14T22:13:20Z`, or `…20.123000Z` when milliseconds ≠ 0. */
export function rfc3339(ms: number): string {
  if (ms === lastMs) return lastText; // records of one batch share a clock reading
  lastText = formatRfc3339(ms);
  lastMs = ms;
  return lastText;
}

let lastMs = NaN;
let lastText = '';

function formatRfc3339(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2023-11-14T22:13:20.123Z
  const base = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  return millis === '000' ? `${base}Z` : `${base}.${millis}000Z`;
}

/** Parses RFC 3339 to epoch ms; null when it is not a valid timestamp. */
export function parseRfc3339(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Node's largest timer delay (2^31 - 1 ms, about 24.8 days): a larger delay is silently turned into 1 ms. Config
 * schemas bound every duration by it; delays computed at run time (minutes × time_scale) are clamped to it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** `ms` clamped into what `setTimeout` honours (a longer budget waits the longest a timer can, not 1 ms). */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}
