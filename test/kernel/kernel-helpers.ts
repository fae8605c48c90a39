/** Shared set-up for the kernel tests: temp dirs, a config built from YAML text, tiny runner scripts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKernelConfig } from '../../core/kernel/load-config.js';
import type { KernelConfig } from '../../core/kernel/kernel-config-types.js';
import type { Issue } from '../../core/planner-input-types.js';
import { makeTempDir } from '../support/temp-dir.js';

export function tempDir(prefix = 'cyntra-kernel-'): string {
  return makeTempDir(prefix);
}

/** A runner script in `dir` that exits with CODE_<candidate index> (default 0) after SLEEP_MS ms. */
export function writeRunnerScript(dir: string): string {
  const file = join(dir, 'runner.mjs');
  writeFileSync(
    file,
    [
      "import { appendFileSync } from 'node:fs';",
      'const i = process.env.CYNTRA_CANDIDATE_INDEX;',
      'if (process.env.RUN_LOG) appendFileSync(process.env.RUN_LOG, `${process.env.CYNTRA_ISSUE_ID} ${i} ${process.env.CYNTRA_CANDIDATES} ${process.env.CYNTRA_TIMEOUT_SECONDS}\\n`);',
      "const sleep = Number(process.env[`SLEEP_MS_${i}`] ?? process.env.SLEEP_MS ?? '0');",
      "const code = Number(process.env[`CODE_${i}`] ?? process.env.CODE ?? '0');",
      'setTimeout(() => process.exit(code), sleep);',
    ].join('\n'),
  );
  return file;
}

/** A config file in `dir` (root = dir) with the given YAML body appended to a runner section. */
export function kernelConfig(dir: string, yaml: string): KernelConfig {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return parseKernelConfig(yaml, file, dir).config;
}

export function runnerYaml(script: string, env: Record<string, string> = {}, extra = ''): string {
  const envLines = Object.entries(env)
    .map(([k, v]) => `      ${k}: "${v}"`)
    .join('\n');
  return `kernel:
  workcells: wc
  runner:
    command: ["${process.execPath}", "${script}"]
    time_scale: 0.01
    kill_grace_ms: 200
${envLines ? `    env:\n${envLines}\n` : ''}${extra}`;
}

export function issue(id: string, fields: Partial<Issue> = {}): Issue {
  return { id, title: `Issue ${id}`, dk_risk: 'low', dk_size: 'S', tags: ['x'], ...fields };
}

import { createDefaultRegistry } from '../../plugins/index.js';
import { inferenceConfigOf } from '../../core/kernel/kernel.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

/** The model's favourite: speculate_vote, 3 candidates, 60 minutes, iterations NA. */
export const MODEL_PICK = { swarm: 1, candidates: 2, minutes: 3, iterations: 4 };

/** YAML for a planner section using the scripted test backend on a fresh bundle. */
export function scriptedPlannerYaml(flags = '', extra = ''): string {
  return `planner:
  model:
    path: ${makeScriptedBundle()}
    type: scripted
${extra}  flags:
    enabled_job_types: ["code", "fab-world"]
${flags}`;
}

/** A registry with the built-ins and a scripted backend (confident by default; `strength` 0 makes it unsure). */
export function scriptedRegistry(strength = 10) {
  const registry = createDefaultRegistry();
  registry.register(scriptedPlugin({ script: () => prefer(MODEL_PICK, strength) }));
  return registry;
}

export async function plannerFor(config: KernelConfig, strength = 10): Promise<PlannerInference> {
  return PlannerInference.create(inferenceConfigOf(config), { registry: scriptedRegistry(strength) });
}
