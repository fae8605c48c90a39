import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreFiles, expectedDigest, json, withMetadata, writeBundle } from './bundle-dir.js';
import { INVALID_DIR, ROOT } from './fixture-cases.js';
import { runCli } from '../support/cli-run.js';

const lint = (...argv: string[]) => runCli(['lint', ...argv], ROOT);

// A servable bundle (the loader serves it, so lint must pass it); without calibration.json, for exactly one warning.
const { 'calibration.json': _calibration, ...uncalibrated } = coreFiles();
const goodFiles = withMetadata({
  ...uncalibrated,
  'model.onnx': readFileSync(join(ROOT, 'fixtures/bundles/onnx-spec-small/model.onnx')),
});
const good = writeBundle(goodFiles);
const bad = join(INVALID_DIR, 'ACTION_SPACE_INVALID.duplicate-bin');

describe('cyntra-planner lint', () => {
  it('exit 0 and a summary when there are no errors', async () => {
    const r = await lint(good);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 1 warning');
    expect(r.stdout).toContain("the loader's warm-up inference ran on 1 of them");
  });

  it('--no-warm-up keeps lint offline and says nothing about a warm-up', async () => {
    const r = await lint('--no-warm-up', '--format', 'json', good);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).bundles[0].warmUp).toBeNull();
    expect(JSON.parse((await lint('--format', 'json', good)).stdout).bundles[0].warmUp).toEqual({
      status: 'ran',
      backend: 'onnx',
    });
  });

  it('exit 1 with stylish lines `line:col severity file#pointer message code`', async () => {
    const r = await lint(good, bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n\s+16:5\s+error\s+action_space\.json#\/max_minutes_bins\/2\s+.*ACTION_SPACE_INVALID/);
    expect(r.stdout).toContain(bad);
  });

  it('--max-warnings: warnings beyond the limit fail the run', async () => {
    expect((await lint('--max-warnings', '1', good)).code).toBe(0);
    const r = await lint('--max-warnings', '0', good);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--max-warnings');
  });

  it('--format json prints the report', async () => {
    const r = await lint('--format', 'json', good, bad);
    const report = JSON.parse(r.stdout);
    expect(report.bundles).toHaveLength(2);
    expect(report.bundles[1].problems[0]).toMatchObject({
      severity: 'error',
      code: 'ACTION_SPACE_INVALID',
      file: 'action_space.json',
      line: 16,
      column: 5,
      pointer: '/max_minutes_bins/2',
    });
  });

  it('--format sarif prints SARIF 2.1.0 with rules from the codes and regions', async () => {
    const r = await lint('--format', 'sarif', bad);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    const ids: string[] = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toEqual([...new Set(ids)].sort());
    expect(ids).toContain('ACTION_SPACE_INVALID');
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'ACTION_SPACE_INVALID');
    expect(ids[result.ruleIndex]).toBe('ACTION_SPACE_INVALID');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 16, startColumn: 5 });
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/.*action_space\.json$/);
  });

  it('--expect-sha256 pins the bundle digest', async () => {
    expect((await lint('--expect-sha256', expectedDigest(goodFiles), good)).code).toBe(0);
    expect((await lint('--expect-sha256', `sha256:${expectedDigest(goodFiles)}`, good)).code).toBe(0); // the kernel config's spelling
    const r = await lint('--format', 'json', '--expect-sha256', 'f'.repeat(64), good);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).bundles[0].problems.map((p: { code: string }) => p.code)).toContain('BUNDLE_UNTRUSTED');
  });

  it('--universe: swarm ids outside it are errors', async () => {
    const universe = join(writeBundle({}), 'swarms.txt');
    writeFileSync(universe, '# known swarms\nserial_handoff\n');
    const r = await lint('--format', 'json', '--universe', universe, good);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).bundles[0].problems[0]).toMatchObject({
      code: 'SWARM_UNKNOWN',
      pointer: '/swarm_ids/1',
    });
    writeFileSync(universe, json({ swarm_ids: ['serial_handoff', 'speculate_vote'] }));
    expect((await lint('--universe', universe, good)).code).toBe(0);
  });

  it('--max-file-bytes caps every file before it is read', async () => {
    const r = await lint('--format', 'json', '--max-file-bytes', '100', good);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).bundles[0].problems[0].code).toBe('BUNDLE_FILE_TOO_LARGE');
  });

  it.each([
    [[]],
    [['--format', 'xml', good]],
    [['--expect-sha256', 'abc', good]],
    [['--max-warnings', '-1', good]],
    [['--bogus', good]],
    [['--max-warnings', '1.5', good]],
    [['--max-warnings', '1e1', good]],
    [['--max-warnings', '', good]],
    [['--max-file-bytes', '1024.5', good]],
    [['--max-file-bytes', '0', good]],
  ])('usage errors exit 2: %j', async (argv) => {
    const r = await lint(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE');
  });
});
