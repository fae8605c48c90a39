import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_BUILT, cliHasRun, exitOf, finishedIds, makeKernelProject, readWorkcells, startKernel } from '../support/fuzz-kernel.js';

const ISSUES = 2000;

const viaCli = cliHasRun();

describe.runIf(KERNEL_BUILT)(`kernel under load (${viaCli ? 'built CLI run' : 'built kernel API in a child process'})`, () => {
  it(`${ISSUES} issues with failing and timing-out commands, SIGKILLed mid-run and restarted: every issue once, no broken file`, async () => {
    const project = makeKernelProject(ISSUES, 16);
    const first = startKernel(project, viaCli);
    let exited = false;
    const firstExit = exitOf(first).then((r) => ((exited = true), r));
    // kill the kernel once a few hundred issues are done (fail at once if it stopped by itself)
    await expect.poll(() => exited || finishedIds(project).length >= 300, { timeout: 120_000, interval: 50 }).toBe(true);
    if (exited) expect.fail(`the kernel exited before it could be killed: ${(await firstExit).stderr}`);
    first.kill('SIGKILL');
    expect((await firstExit).signal).toBe('SIGKILL');
    const before = new Map(finishedIds(project).map((id) => [id, readFileSync(join(project.workcells, id, 'manifest.json'), 'utf8')]));
    expect(before.size).toBeLessThan(ISSUES);

    const second = await exitOf(startKernel(project, viaCli));
    expect(second.code, second.stderr).toBe(0);

    const finished = finishedIds(project);
    expect(finished.sort()).toEqual([...project.ids].sort());
    // issues finished before the kill were skipped, not redone: their manifests are byte-identical
    for (const [id, text] of before) expect(readFileSync(join(project.workcells, id, 'manifest.json'), 'utf8'), id).toBe(text);
    expect(second.stdout.match(/already finished, skipped/g)?.length ?? 0).toBe(before.size);

    const { files, broken } = readWorkcells(project);
    expect(broken).toEqual([]);
    const summaries = [...files.entries()].filter(([p]) => p.endsWith('run-summary.json')).map(([, v]) => v as { issue_id?: string; outcome: { status: string } });
    expect(summaries).toHaveLength(ISSUES);
    const statuses = new Set(summaries.map((s) => s.outcome.status));
    expect([...statuses].sort()).toEqual(['failed', 'success', 'timeout']);
  }, 180_000);
});
