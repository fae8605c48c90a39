/** Kernel defaults (the inference ones come from INFERENCE_DEFAULTS, the one place they live). */
import { INFERENCE_DEFAULTS } from '../inference-config.js';
import type { KernelSection, PlannerSection } from './kernel-config-types.js';

export const DEFAULT_WORKCELLS_DIR = '.cyntra/workcells';

export const PLANNER_DEFAULTS: PlannerSection = {
  enabled: true,
  modelPath: null,
  modelType: null,
  fallback: INFERENCE_DEFAULTS.fallback,
  confidenceThreshold: INFERENCE_DEFAULTS.confidenceThreshold,
  useCalibration: INFERENCE_DEFAULTS.useCalibration,
  timeoutMs: INFERENCE_DEFAULTS.timeoutMs,
  isolation: INFERENCE_DEFAULTS.isolation,
  poolSize: INFERENCE_DEFAULTS.poolSize,
  loadTimeoutMs: INFERENCE_DEFAULTS.loadTimeoutMs,
  trustedDigests: null,
  caps: INFERENCE_DEFAULTS.caps,
  shadowMode: false,
  forceSwarm: null,
  enabledJobTypes: ['code', 'fab-world'],
  enabledRiskLevels: null,
  rolloutFraction: 1,
  plugins: [],
  backendOptions: {},
};

/** `workcells` and `issues` are relative here and resolved against the root. */
export const KERNEL_DEFAULTS: KernelSection = {
  issues: null,
  workcells: DEFAULT_WORKCELLS_DIR,
  concurrency: 1,
  universeId: 'unknown',
  universeDefaults: { swarm_id: null, objective_id: null },
  toolchains: null,
  // 30 minutes = the Python kernel's 1800 s toolchain timeout.
  defaults: { candidates: 2, minutes: 30, iterations: null },
  // No default command: `run` refuses a config without one rather than fake a success for every issue.
  runner: { command: [], shell: false, timeScale: 1, killGraceMs: 2000, env: {} },
  queue: {
    backend: 'local',
    url: null,
    name: 'cyntra-issues',
    lockMs: 30_000,
    attempts: 3,
    historyLimit: 200,
    shutdownGraceMs: 10_000,
  },
};
