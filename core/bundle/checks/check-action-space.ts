/**
 * The action space: found (action_space.json, else config.json "action_space"), bins unique and valid (ints ≥ 1,
 * "NA" at most once), parseable, and — when a universe is given — made of known swarm ids.
 */
import { ActionSpace } from '../../action-space.js';
import { ErrorCodes } from '../../errors.js';
import { problem, problemFromError, type LintProblem } from './bundle-problem.js';

const BIN_KEYS = ['max_candidates_bins', 'max_minutes_bins', 'max_iterations_bins'] as const;

interface Located {
  readonly value: unknown;
  readonly file: string;
  /** Pointer of the action space object inside `file`. */
  readonly base: string;
}

/** Where the action space lives, or null when the bundle has none. */
export function locateActionSpace(json: Readonly<Record<string, unknown>>): Located | null {
  if ('action_space.json' in json) return { value: json['action_space.json'], file: 'action_space.json', base: '' };
  const config = json['config.json'];
  if (typeof config === 'object' && config !== null && (config as Record<string, unknown>).action_space !== undefined) {
    return { value: (config as Record<string, unknown>).action_space, file: 'config.json', base: '/action_space' };
  }
  return null;
}

/** Bins the Python planner would silently repair but a bundle must not ship: duplicates, a second "NA", ints < 1. */
export function binProblems(json: Readonly<Record<string, unknown>>): LintProblem[] {
  const at = locateActionSpace(json);
  if (!at || typeof at.value !== 'object' || at.value === null) return [];
  const out: LintProblem[] = [];
  for (const key of BIN_KEYS) {
    const bins = (at.value as Record<string, unknown>)[key];
    if (!Array.isArray(bins)) continue;
    const seen = new Set<unknown>();
    bins.forEach((bin, i) => {
      const pointer = `${at.base}/${key}/${i}`;
      const valid = bin === 'NA' || (typeof bin === 'number' && Number.isInteger(bin) && bin >= 1);
      if (!valid)
        out.push(
          problem(
            'error',
            ErrorCodes.ACTION_SPACE_INVALID,
            at.file,
            pointer,
            `${key}[${i}] is ${JSON.stringify(bin)}; a bin is an integer ≥ 1 or "NA"`,
          ),
        );
      else if (seen.has(bin))
        out.push(
          problem(
            'error',
            ErrorCodes.ACTION_SPACE_INVALID,
            at.file,
            pointer,
            `${key}[${i}] repeats ${JSON.stringify(bin)}; bins must be unique ("NA" at most once)`,
          ),
        );
      seen.add(bin);
    });
  }
  return out;
}

export interface ActionSpaceCheck {
  readonly actionSpace: ActionSpace | null;
  readonly problems: LintProblem[];
}

export function checkActionSpace(
  json: Readonly<Record<string, unknown>>,
  universe?: readonly string[],
): ActionSpaceCheck {
  const at = locateActionSpace(json);
  if (!at) {
    const message = 'the bundle has no action_space.json and no config.json "action_space"; add one';
    return {
      actionSpace: null,
      problems: [problem('error', ErrorCodes.BUNDLE_FILE_MISSING, 'action_space.json', '', message)],
    };
  }
  let actionSpace: ActionSpace;
  try {
    actionSpace = ActionSpace.fromJson(at.value, at.file + (at.base ? `#${at.base}` : ''));
  } catch (error) {
    const key = (error as { context?: { key?: unknown } }).context?.key;
    return {
      actionSpace: null,
      problems: [problemFromError(error, at.file, typeof key === 'string' ? `${at.base}/${key}` : at.base)],
    };
  }
  return { actionSpace, problems: universe ? universeProblems(actionSpace, at, universe) : [] };
}

function universeProblems(space: ActionSpace, at: Located, universe: readonly string[]): LintProblem[] {
  const known = new Set(universe);
  const ids = Array.isArray((at.value as Record<string, unknown>).swarm_ids)
    ? ((at.value as Record<string, unknown>).swarm_ids as unknown[])
    : [];
  return space.swarmIds
    .filter((id) => !known.has(id))
    .map((id) => {
      const pointer = `${at.base}/swarm_ids/${Math.max(0, ids.indexOf(id))}`;
      return problem(
        'error',
        ErrorCodes.SWARM_UNKNOWN,
        at.file,
        pointer,
        `swarm id "${id}" is not in the swarm universe (${universe.join(', ')}); the kernel could not run it`,
      );
    });
}
