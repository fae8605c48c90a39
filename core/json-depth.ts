/**
 * Nesting depth of parsed JSON, measured without recursion. Inputs nested deeper than MAX_JSON_DEPTH are refused where
 * they are read (the CLI's input files, the issue queue): writers such as `JSON.stringify` recurse and would overflow
 * the stack on them. Real planner inputs nest a handful of levels.
 */
export const MAX_JSON_DEPTH = 100;

/** The JSON pointer of the first number that is not finite (`1e999` parses to Infinity), or null. */
export function nonFiniteAt(value: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return path || '/';
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v))
      stack.push({ value: child, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}

/** The JSON pointer of the first container nested deeper than `max` (the root is depth 1), or null. */
export function tooDeepAt(value: unknown, max = MAX_JSON_DEPTH): string | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return path || '/';
    for (const [k, child] of Object.entries(v)) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    }
  }
  return null;
}
