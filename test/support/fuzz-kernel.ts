/**
 * A kernel project for the load test: N issues, a runner command that succeeds, fails or outlives its time-scaled
 * budget depending on the issue id, and helpers to run the built CLI and read the workcells back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { makeTempDir } from './temp-dir.js';

export const CLI = join(packageRoot(), 'dist', 'core', 'cli', 'main.js');
const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'fuzz-kernel-driver.mjs');
export const KERNEL_BUILT = existsSync(join(packageRoot(), 'dist', 'core', 'kernel', 'kernel.js'));

/** True when the built CLI has the `run` command; else the load test drives the built kernel API directly. */
export function cliHasRun(): boolean {
  return existsSync(CLI) && spawnSync(process.execPath, [CLI, 'run', '--help'], { stdio: 'ignore' }).status === 0;
}

export interface KernelProject {
  readonly root: string;
  readonly workcells: string;
  readonly ids: readonly string[];
}

/**
 * What each issue's command does: ids ending in 3 exit 1, ids ending in 77 sleep 10 s, past their budget (30 planned
 * minutes = 5.4 s here, far above what a fast command takes on a loaded machine), the rest exit 0 at once.
 */
export function expectedStatus(id: string): 'success' | 'failed' | 'timeout' {
  if (id.endsWith('3')) return 'failed';
  return id.endsWith('77') ? 'timeout' : 'success';
}

export function makeKernelProject(count: number, concurrency: number): KernelProject {
  const root = makeTempDir('cyntra-kernel-load-');
  mkdirSync(join(root, '.cyntra'));
  const risks = ['low', 'medium', 'high', 'critical'];
  const ids = Array.from({ length: count }, (_, i) => `L-${i}`);
  writeFileSync(
    join(root, 'issues.jsonl'),
    ids
      .map((id, i) =>
        JSON.stringify({
          id,
          title: `load ${i}`,
          dk_risk: risks[i % 4],
          dk_size: 'S',
          tags: i % 5 === 0 ? ['asset:world'] : [],
        }),
      )
      .join('\n') + '\n',
  );
  const config = [
    'kernel:',
    '  issues: issues.jsonl',
    '  workcells: workcells',
    `  concurrency: ${concurrency}`,
    '  runner:',
    `    command: 'case "$CYNTRA_ISSUE_ID" in *3) exit 1;; *77) sleep 10;; esac'`,
    '    time_scale: 0.003',
    '    kill_grace_ms: 50',
    'planner:',
    '  enabled: true',
  ].join('\n');
  writeFileSync(join(root, '.cyntra', 'config.yaml'), config + '\n');
  return { root, workcells: join(root, 'workcells'), ids };
}

export function startKernel(project: KernelProject, viaCli: boolean): ChildProcess {
  const config = join(project.root, '.cyntra', 'config.yaml');
  const args = viaCli ? [CLI, 'run', '--config', config] : [DRIVER, join(packageRoot(), 'dist'), config];
  return spawn(process.execPath, args, { cwd: project.root, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Issue ids whose workcell has a finished manifest. */
export function finishedIds(project: KernelProject): string[] {
  if (!existsSync(project.workcells)) return [];
  return readdirSync(project.workcells).filter((d) => {
    try {
      return (
        (JSON.parse(readFileSync(join(project.workcells, d, 'manifest.json'), 'utf8')) as { status?: string })
          .status === 'finished'
      );
    } catch {
      return false;
    }
  });
}

/** Every `*.json` under the workcells, parsed; a file that does not parse is returned as an error entry. */
export function readWorkcells(project: KernelProject): {
  files: Map<string, unknown>;
  broken: string[];
  temps: string[];
} {
  const files = new Map<string, unknown>();
  const broken: string[] = [];
  const temps: string[] = [];
  for (const dir of readdirSync(project.workcells)) {
    for (const f of readdirSync(join(project.workcells, dir))) {
      const path = join(project.workcells, dir, f);
      if (f.endsWith('.tmp')) temps.push(path);
      else if (f.endsWith('.json')) {
        try {
          files.set(path, JSON.parse(readFileSync(path, 'utf8')));
        } catch {
          broken.push(path);
        }
      }
    }
  }
  return { files, broken, temps };
}
