import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIssues } from '../../core/kernel/issue-source.js';
import { MANIFEST_SCHEMA_ID } from '../../core/kernel/dispatcher.js';
import { RUN_SUMMARY_SCHEMA_ID } from '../../core/kernel/run-summaries.js';
import { packageRoot } from '../../core/paths.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { tempDir } from './kernel-helpers.js';

const ROOT = packageRoot();
const BIN = join(ROOT, 'dist', 'core', 'cli', 'main.js');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm start: the built CLI runs the demo queue', () => {
  beforeAll(() => {
    // The real binary must exist: `npm test` builds first (pretest).
    execFileSync(process.execPath, [BIN, '--help']);
  });

  it('node dist/core/cli/main.js run --config fixtures/demo/config.yaml: exit 0, a table line per issue, valid records', async () => {
    const workcells = tempDir('cyntra-demo-cli-');
    const r = await runCli(['run', '--config', 'fixtures/demo/config.yaml', '--workcells', workcells]);
    expect(r.code, r.stderr).toBe(0);
    const issues = readIssues(join(ROOT, 'fixtures', 'demo', 'issues.jsonl'));
    const table = r.stdout.slice(r.stdout.search(/^issue +swarm +budgets/m));
    const outcomes = Object.fromEntries(
      issues.map((i) => {
        const line = table.split('\n').find((l) => l.startsWith(`${i.id} `));
        expect(line, i.id).toMatch(/ (serial_handoff|speculate_vote) .* (success|failed|timeout)$/);
        return [i.id, line!.split(/ +/).at(-1)];
      }),
    );
    expect(outcomes).toMatchObject({ 'DEMO-1': 'success', 'DEMO-6': 'failed', 'DEMO-7': 'timeout' });
    expect(readdirSync(workcells).sort()).toEqual(issues.map((i) => i.id).sort());
    const schemas = new SchemaRegistry();
    for (const i of issues) {
      const manifest = JSON.parse(readFileSync(join(workcells, i.id, 'manifest.json'), 'utf8'));
      expect(schemas.validate(MANIFEST_SCHEMA_ID, manifest).errors, i.id).toEqual([]);
      expect(manifest).toMatchObject({ status: 'finished', issue: { id: i.id } });
      expect(manifest.run.status, i.id).toBe(outcomes[i.id]);
      const summary = JSON.parse(readFileSync(join(workcells, i.id, 'run-summary.json'), 'utf8'));
      expect(schemas.validate(RUN_SUMMARY_SCHEMA_ID, summary).errors, i.id).toEqual([]);
    }
  }, 60_000);
});
