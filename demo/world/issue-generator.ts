/**
 * Seeded generator of demo issue sets (any size): titles, descriptions, priority, risk, size, tags and attempts drawn
 * from small vocabularies with the world's hash draws, so `(count, seed, prefix)` always gives the same issues.
 */
import { draw, drawInt } from './draw.js';

export interface GeneratedIssue {
  id: string;
  title: string;
  description: string;
  dk_priority: string;
  dk_risk: string;
  dk_size: string;
  dk_attempts: number;
  tags: string[];
}

const VERBS = ['Fix', 'Add', 'Refactor', 'Migrate', 'Speed up', 'Harden', 'Document', 'Remove', 'Split', 'Test'];
const AREAS = [
  { noun: 'the HTTP client retries', tags: ['backend', 'http'] },
  { noun: 'the scheduler queue', tags: ['kernel', 'refactor'] },
  { noun: 'auth token storage', tags: ['auth', 'security'] },
  { noun: 'the payments suite', tags: ['tests', 'ci'] },
  { noun: 'the README examples', tags: ['docs'] },
  { noun: 'dependency pins', tags: ['deps'] },
  { noun: 'the database schema', tags: ['migration', 'backend'] },
  { noun: 'the worker pool locking', tags: ['concurrency', 'kernel'] },
  { noun: 'the search index', tags: ['backend', 'perf'] },
  { noun: 'the settings page', tags: ['frontend'] },
  { noun: 'the metrics exporter', tags: ['observability'] },
  { noun: 'the CLI help texts', tags: ['docs', 'cli'] },
];
const WORLDS = ['harbour', 'forest', 'desert town', 'space station', 'castle', 'market square'];
const DETAILS = [
  'Users report intermittent failures.',
  'Keep the public API unchanged.',
  'Needs a careful rollout behind a flag.',
  'Small change; add a regression test.',
  'Touches several modules and their tests.',
  'Blocked twice before by flaky checks.',
];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const SIZE_WEIGHTS = [0.18, 0.27, 0.27, 0.18, 0.1];
const RISKS = ['low', 'medium', 'high', 'critical'];
const RISK_WEIGHTS = [0.35, 0.35, 0.2, 0.1];
const PRIORITIES = ['P0', 'P1', 'P2', 'P3'];

function pick<T>(seed: number, items: readonly T[], weights: readonly number[], ...parts: (string | number)[]): T {
  let u = draw(seed, ...parts);
  for (let i = 0; i < items.length; i++) {
    if (u < weights[i]) return items[i];
    u -= weights[i];
  }
  return items[items.length - 1];
}

/** Issue `n` (0-based) of the set; `worldShare` of issues are fab-world jobs (tag `asset:world`). */
export function generateIssue(seed: number, n: number, prefix = 'SIM', worldShare = 0.15): GeneratedIssue {
  const id = `${prefix}-${n + 1}`;
  const size = pick(seed, SIZES, SIZE_WEIGHTS, 'gen-size', n);
  const risk = pick(seed, RISKS, RISK_WEIGHTS, 'gen-risk', n);
  const priority = PRIORITIES[drawInt(seed, PRIORITIES.length, 'gen-priority', n)];
  const detail = DETAILS[drawInt(seed, DETAILS.length, 'gen-detail', n)];
  const attempts = draw(seed, 'gen-attempts', n) < 0.8 ? 0 : 1 + drawInt(seed, 3, 'gen-attempts-n', n);
  if (draw(seed, 'gen-world', n) < worldShare) {
    const place = WORLDS[drawInt(seed, WORLDS.length, 'gen-place', n)];
    return { id, title: `Generate the ${place} world`, description: `Build the ${place} scene with lighting. ${detail}`, dk_priority: priority, dk_risk: risk, dk_size: size, dk_attempts: attempts, tags: ['asset:world', 'fab'] };
  }
  const verb = VERBS[drawInt(seed, VERBS.length, 'gen-verb', n)];
  const area = AREAS[drawInt(seed, AREAS.length, 'gen-area', n)];
  return { id, title: `${verb} ${area.noun}`, description: detail, dk_priority: priority, dk_risk: risk, dk_size: size, dk_attempts: attempts, tags: [...area.tags] };
}

export function generateIssues(count: number, seed: number, prefix = 'SIM', worldShare = 0.15): GeneratedIssue[] {
  return Array.from({ length: count }, (_, n) => generateIssue(seed, n, prefix, worldShare));
}
