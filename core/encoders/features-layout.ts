/**
 * features.v1 layout: every offset, size, category list, bin edge and hash salt (docs/features-v1.md is the prose
 * definition; keep the two in step). Offsets are absolute indices into the float32 vector unless marked "in slot".
 */

export const FEATURES_V1_DIM = 3779;

// ---- issue block: [0, 1052)
export const ISSUE_OFFSET = 0;
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const RISKS = ['low', 'medium', 'high', 'critical'] as const;
export const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
export const PRIORITY_OFFSET = 0; // 4
export const RISK_OFFSET = 4; // 4
export const SIZE_OFFSET = 8; // 5
export const ATTEMPTS_OFFSET = 13; // 4: 0, 1, 2, 3+
export const ATTEMPTS_BINS = 4;
export const TOOL_HINT_OFFSET = 17; // 10 buckets + null flag at 27
export const TOOL_HINT_BUCKETS = 10;
export const TOOL_HINT_SALT = 'tool_hint';
export const TAGS_OFFSET = 28; // 1024 buckets, salt "tag"
export const TAG_BUCKETS = 1024;
export const TAG_SALT = 'tag';
export const MAX_TAGS = 8;
export const ISSUE_SIZE = 1052;

// ---- history block: [1052, 3708), 8 slots × 332, most recent first
export const HISTORY_OFFSET = 1052;
export const HISTORY_SLOTS = 8;
export const SLOT_SIZE = 332;
export const RUN_JOB_TYPES = ['code', 'fab-world', 'fab-asset'] as const; // in slot 0..2
export const RUN_DOMAINS = ['code', 'fab_world', 'fab_asset'] as const; // in slot 3..5
export const SWARMS = ['serial_handoff', 'speculate_vote'] as const; // in slot 6..7, null at 8
export const SLOT = {
  jobType: 0,
  domain: 3,
  swarm: 6,
  candidates: 9, // 1, 2, 3, NA
  minutes: 13, // 15, 30, 45, 60, 120, NA
  iterations: 19, // 1, 2, 3, 5, NA
  status: 24, // success, failed, timeout
  failCodes: 27, // 256 buckets, salt "fail"
  gates: 283, // 16 known gates × (present, passed)
  duration: 315, // 6 bins
  cost: 321, // 5 bins + null
  recency: 327, // 4 bins
  valid: 331,
} as const;
export const CANDIDATE_BINS = [1, 2, 3] as const;
export const MINUTE_BINS = [15, 30, 45, 60, 120] as const;
export const ITERATION_BINS = [1, 2, 3, 5] as const;
export const RUN_STATUSES = ['success', 'failed', 'timeout'] as const;
export const FAIL_BUCKETS = 256;
export const FAIL_SALT = 'fail';
export const MAX_FAIL_CODES = 5;
/** The 16 known gates, sorted; gate j uses slot offsets 283 + 2j (present) and 284 + 2j (passed). */
export const KNOWN_GATES = [
  'build',
  'coverage',
  'e2e',
  'eslint',
  'format',
  'integration',
  'lint',
  'mypy',
  'pytest',
  'render',
  'ruff',
  'security',
  'test',
  'tsc',
  'typecheck',
  'unit',
] as const;
/** Upper edges (exclusive) in ms of duration bins 0..4; bin 5 is ≥ 3 600 000 ms. */
export const DURATION_EDGES_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000] as const;
/** Upper edges (exclusive) in USD of cost bins 0..3; bin 4 is ≥ 10; slot 5 is null. */
export const COST_EDGES_USD = [0.01, 0.1, 1, 10] as const;
/** Upper edges (exclusive) in ms of run age: same day, week, month; bin 3 is older. */
export const RECENCY_EDGES_MS = [86_400_000, 7 * 86_400_000, 30 * 86_400_000] as const;

// ---- action_space block: [3708, 3740), 4 groups × 8 slots; the last slot of a group flags "other values"
export const ACTION_SPACE_OFFSET = 3708;
export const ACTION_GROUP_SIZE = 8;
export const ACTION_GROUPS = [
  { key: 'swarm_ids', known: ['serial_handoff', 'speculate_vote'] },
  { key: 'max_candidates_bins', known: [1, 2, 3, 'NA'] },
  { key: 'max_minutes_bins', known: [15, 30, 45, 60, 120, 'NA'] },
  { key: 'max_iterations_bins', known: [1, 2, 3, 5, 'NA'] },
] as const;

// ---- universe_defaults block: [3740, 3754)
export const UNIVERSE_OFFSET = 3740;
export const DEFAULT_SWARM_OFFSET = 3740; // serial_handoff, speculate_vote, null
export const OBJECTIVE_OFFSET = 3743; // 10 buckets + null flag at 3753
export const OBJECTIVE_BUCKETS = 10;
export const OBJECTIVE_SALT = 'objective';

// ---- system_state block: [3754, 3779)
export const SYSTEM_OFFSET = 3754;
export const COUNT_BINS = ['0', '1_2', '3_5', '6_plus'] as const; // + null
export const ACTIVE_WORKCELLS_OFFSET = 3754;
export const QUEUE_DEPTH_OFFSET = 3759;
export const HOUR_OFFSET = 3764; // night 00-05, morning 06-11, afternoon 12-17, evening 18-23, null
export const BUDGET_OFFSET = 3769;
export const BUDGET_BINS = ['low', 'medium', 'high', 'unlimited'] as const; // + null
export const TOOLCHAINS_OFFSET = 3774;
export const KNOWN_TOOLCHAINS = ['codex', 'claude', 'opencode', 'crush'] as const;
export const SYSTEM_PRESENT_INDEX = 3778;
