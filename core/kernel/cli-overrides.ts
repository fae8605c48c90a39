/** The spec's §4.4 run flags, applied over the file's config (they win). */
import { resolve } from 'node:path';
import type { KernelConfig, PlannerMode } from './kernel-config-types.js';

export interface CliOverrides {
  /** `--planner-model DIR`, relative to `cwd`. */
  readonly plannerModel?: string;
  readonly plannerMode?: PlannerMode;
  readonly confidenceThreshold?: number;
  /** `--issues FILE|DIR`, relative to `cwd`. */
  readonly issues?: string;
  /** `--workcells DIR`, relative to `cwd`. */
  readonly workcells?: string;
}

export function applyCliOverrides(config: KernelConfig, o: CliOverrides, cwd: string): KernelConfig {
  let planner = config.planner;
  if (o.plannerModel !== undefined) planner = { ...planner, modelPath: resolve(cwd, o.plannerModel) };
  if (o.plannerMode === 'disabled') planner = { ...planner, enabled: false };
  if (o.plannerMode === 'enabled') planner = { ...planner, enabled: true, shadowMode: false };
  if (o.plannerMode === 'shadow') planner = { ...planner, enabled: true, shadowMode: true };
  if (o.confidenceThreshold !== undefined) planner = { ...planner, confidenceThreshold: o.confidenceThreshold };
  const kernel = {
    ...config.kernel,
    ...(o.issues !== undefined ? { issues: resolve(cwd, o.issues) } : {}),
    ...(o.workcells !== undefined ? { workcells: resolve(cwd, o.workcells) } : {}),
  };
  return { ...config, planner, kernel };
}

/** The mode a config amounts to. */
export function plannerMode(config: KernelConfig): PlannerMode {
  if (!config.planner.enabled) return 'disabled';
  return config.planner.shadowMode ? 'shadow' : 'enabled';
}
