/**
 * The example third-party backend (fixtures/example-backend) used exactly as docs/writing-a-backend.md says: installed
 * by `file:` path into a fresh project (npm, offline), loaded by name from `planner.plugins` in a kernel run, checked
 * with `lint --plugin`, and tested with the exported conformance suite (`cyntra-planner/conformance`) by vitest in the
 * package's own directory. If the guide's steps stop working, this fails. Uses the built files (dist/).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/core/cli/main.js');
const EXAMPLE = join(ROOT, 'fixtures/example-backend');
const PKG = 'cyntra-linear-backend';
let dir: string;

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CYNTRA_PLANNER_LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyntra-example-backend-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a consumer project installs the example backend by file: path', () => {
  let project: string;
  beforeAll(() => {
    project = join(dir, 'consumer');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: { [PKG]: `file:${EXAMPLE}` } }),
    );
    const npm = spawnSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'],
      { cwd: project, encoding: 'utf8', timeout: 120_000 },
    );
    expect(npm.status, npm.stderr).toBe(0);
    writeFileSync(
      join(project, 'issues.jsonl'),
      '{"id":"E-1","title":"Fix the flaky test","dk_risk":"high"}\n{"id":"E-2","title":"Build the world","dk_size":"XL"}\n',
    );
    writeFileSync(
      join(project, 'config.yaml'),
      [
        'planner:',
        `  plugins: ["${PKG}"]`,
        '  model:',
        `    path: node_modules/${PKG}/bundle`,
        '    type: linear',
        '  inference:',
        '    confidence_threshold: 0',
        'kernel:',
        '  issues: issues.jsonl',
        '  workcells: workcells',
        `  runner: { command: ["${process.execPath}", "-e", "0"], time_scale: 0.001 }`,
        '',
      ].join('\n'),
    );
  }, 120_000);

  it('a kernel run loads it by package name from planner.plugins, and it answers', () => {
    const r = cli(['run', '--config', 'config.yaml'], project);
    expect(r.status, r.stderr).toBe(0);
    for (const id of ['E-1', 'E-2']) {
      const planner = JSON.parse(readFileSync(join(project, 'workcells', id, 'manifest.json'), 'utf8')).planner;
      expect(planner).toMatchObject({
        backend: 'linear',
        requested_backend: 'linear',
        answering_backend: 'linear',
        load_attempts: [],
        gate_reason: null,
      });
      expect(planner.planner_action).toMatchObject({
        abstain_to_default: false,
        model: { checkpoint_id: 'linear_example' },
      });
    }
  });

  it('lint --plugin runs its checks on its bundle (no problems); without the plugin, lint refuses it as the loader would', () => {
    const withPlugin = cli(['lint', '--format', 'json', '--plugin', PKG, `node_modules/${PKG}/bundle`], project);
    expect(withPlugin.status, withPlugin.stderr).toBe(0);
    expect(JSON.parse(withPlugin.stdout).bundles[0]).toMatchObject({
      backend: 'linear',
      errorCount: 0,
      warningCount: 0,
    });
    // Without the plugin no registered backend can serve the bundle: the loader would fail, so lint errs too.
    const without = cli(['lint', '--format', 'json', `node_modules/${PKG}/bundle`], project);
    expect(without.status).toBe(1);
    expect(JSON.parse(without.stdout).bundles[0].problems.map((p: { code: string }) => p.code)).toEqual([
      'BACKEND_UNKNOWN',
      'BUNDLE_MODEL_MISSING',
    ]);
  });

  it('backends lists it as available', () => {
    const r = cli(['backends', '--json', '--plugin', PKG], project);
    expect(JSON.parse(r.stdout)).toContainEqual(
      expect.objectContaining({ name: 'linear', aliases: ['linear-features'], available: true }),
    );
  });
});

describe("the package's own conformance test runs with vitest against cyntra-planner/conformance", () => {
  it('passes for the example, and fails for a copy whose session ignores dispose', () => {
    const pkg = join(dir, 'package-dev');
    cpSync(EXAMPLE, pkg, { recursive: true });
    mkdirSync(join(pkg, 'node_modules'));
    symlinkSync(ROOT, join(pkg, 'node_modules', 'cyntra-planner'), 'dir'); // as `npm install -D cyntra-planner` would
    writeFileSync(
      join(pkg, 'test', 'broken.test.js'),
      [
        "import { runBackendContract } from 'cyntra-planner/conformance';",
        "import plugin from '../index.js';",
        'const createSession = async (b, ctx) => ({ ...(await plugin.createSession(b, ctx)), dispose: async () => {} });',
        "runBackendContract({ plugin: { ...plugin, createSession }, bundleDir: new URL('../bundle', import.meta.url), label: 'broken' });",
      ].join('\n'),
    );
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', '--reporter=json', '--outputFile=report.json'], {
      cwd: pkg,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const report = JSON.parse(readFileSync(join(pkg, 'report.json'), 'utf8')) as {
      testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
    };
    const byFile = Object.fromEntries(report.testResults.map((f) => [f.name.split('/').pop(), f.assertionResults]));
    expect(byFile['conformance.test.js'].length).toBeGreaterThanOrEqual(6);
    expect(byFile['conformance.test.js'].filter((t) => t.status !== 'passed')).toEqual([]);
    expect(byFile['broken.test.js'].filter((t) => t.status === 'failed').map((t) => t.title)).toEqual([
      'refuses work after dispose with SESSION_DISPOSED, and tolerates a second dispose',
    ]);
    expect(r.status).toBe(1);
  });
});
