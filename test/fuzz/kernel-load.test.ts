import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KERNEL_BUILT,
  cliHasRun,
  exitOf,
  expectedStatus,
  finishedIds,
  makeKernelProject,
  readWorkcells,
  startKernel,
} from '../support/fuzz-kernel.js';

const ISSUES = 2000;

const viaCli = cliHasRun();

describe.runIf(KERNEL_BUILT)(
  `kernel under load (${viaCli ? 'built CLI run' : 'built kernel API in a child process'})`,
  () => {
    it(`${ISSUES} issues with failing and timing-out commands, SIGKILLed mid-run and restarted: every issue once with its status, no broken or temp file`, async () => {
      const project = makeKernelProject(ISSUES, 16);
      const first = startKernel(project, viaCli);
      let exited = false;
      const firstExit = exitOf(first).then((r) => ((exited = true), r));
      // kill the kernel once a few hundred issues are done (fail at once if it stopped by itself)
      await expect
        .poll(() => exited || finishedIds(project).length >= 300, { timeout: 120_000, interval: 50 })
        .toBe(true);
      if (exited) expect.fail(`the kernel exited before it could be killed: ${(await firstExit).stderr}`);
      first.kill('SIGKILL');
      expect((await firstExit).signal).toBe('SIGKILL');
      const before = new Map(
        finishedIds(project).map((id) => [id, readFileSync(join(project.workcells, id, 'manifest.json'), 'utf8')]),
      );
      expect(before.size).toBeLessThan(ISSUES);

      const second = await exitOf(startKernel(project, viaCli));
      expect(second.code, second.stderr).toBe(0);

      const finished = finishedIds(project);
      expect(finished.sort()).toEqual([...project.ids].sort());
      // issues finished before the kill were skipped, not redone: their manifests are byte-identical
      for (const [id, text] of before)
        expect(readFileSync(join(project.workcells, id, 'manifest.json'), 'utf8'), id).toBe(text);
      expect(second.stdout.match(/already finished, skipped/g)?.length ?? 0).toBe(before.size);

      const { files, broken, temps } = readWorkcells(project);
      expect(broken).toEqual([]);
      expect(temps).toEqual([]); // the restart cleared what the SIGKILLed kernel left half-written
      const records = (name: string) =>
        new Map(
          [...files.entries()].filter(([p]) => p.endsWith(`/${name}`)).map(([p, v]) => [basename(dirname(p)), v]),
        );
      const summaries = records('run-summary.json') as Map<string, { issue_id: string; outcome: { status: string } }>;
      expect(summaries.size).toBe(ISSUES);
      const wrong = [...summaries].filter(([id, s]) => s.issue_id !== id || s.outcome.status !== expectedStatus(id));
      expect(wrong.map(([id, s]) => `${id}: ${s.outcome.status}, expected ${expectedStatus(id)}`)).toEqual([]);
      // a command past its budget was killed (by signal), not left to finish and then judged
      const manifests = records('manifest.json') as Map<string, { run: { candidates: { signal: string | null }[] } }>;
      const timedOut = project.ids.filter((id) => expectedStatus(id) === 'timeout');
      expect(timedOut.length).toBeGreaterThan(0);
      for (const id of timedOut)
        expect(
          manifests.get(id)!.run.candidates.map((c) => c.signal),
          id,
        ).not.toContain(null);
    }, 180_000);
  },
);
