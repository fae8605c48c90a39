/** Where one issue's records live: `<workcells>/<workcell id>/{manifest.json, run-summary.json, issue.json, candidate-N.log}`. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** A file-name-safe id: the issue id when it is safe, else a sanitised form plus a short hash (no collisions). */
export function workcellId(issueId: string): string {
  const safe = issueId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  if (safe === issueId && safe !== '.' && safe !== '..') return safe;
  return `${safe}-${createHash('sha256').update(issueId).digest('hex').slice(0, 8)}`;
}

export interface WorkcellPaths {
  readonly dir: string;
  readonly manifest: string;
  readonly runSummary: string;
  readonly issue: string;
  candidateLog(index: number): string;
}

export function workcellPaths(workcellsDir: string, issueId: string): WorkcellPaths {
  const dir = join(workcellsDir, workcellId(issueId));
  return {
    dir,
    manifest: join(dir, 'manifest.json'),
    runSummary: join(dir, 'run-summary.json'),
    issue: join(dir, 'issue.json'),
    candidateLog: (i) => join(dir, `candidate-${i}.log`),
  };
}
