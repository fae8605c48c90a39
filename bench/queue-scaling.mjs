#!/usr/bin/env node
// Queue scaling bench (docs/scaling.md): issues/hour with the local backend at concurrency 1, 2 and 4, the same with
// `run --queue` on a throwaway redis-server, and the queue's own per-issue overhead: at concurrency 1, the median gap
// between one issue's run ending and the next one's starting (read from the manifests), Redis minus local.
// Usage: npm run build && node bench/queue-scaling.mjs [ISSUES]   (needs redis-server on PATH)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/core/cli/main.js');
const N = Number(process.argv[2] ?? 40);
const TIME_SCALE = 0.01;
const dir = mkdtempSync(join(tmpdir(), 'cyntra-queue-bench-'));

const port = await new Promise((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const redis = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
);
await new Promise((r) => setTimeout(r, 500));

const issues = Array.from({ length: N }, (_, i) =>
  JSON.stringify({ id: `B-${i}`, title: `bench ${i}`, dk_size: 'XS', dk_risk: 'low', tags: [`area:${i % 4}`] }),
);
writeFileSync(join(dir, 'issues.jsonl'), `${issues.join('\n')}\n`);

function config(name, concurrency) {
  const file = join(dir, `${name}.json`);
  const raw = {
    root: ROOT,
    planner: { enabled: false },
    kernel: {
      workcells: join(dir, name),
      concurrency,
      universe_id: 'bench',
      runner: { command: ['node', 'fixtures/demo/fake-runner.mjs'], time_scale: TIME_SCALE },
      queue: { name },
    },
  };
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

function runOnce(name, concurrency, queue) {
  const args = [CLI, 'run', '--config', config(name, concurrency), '--issues', join(dir, 'issues.jsonl')];
  if (queue) args.push('--queue', `redis://127.0.0.1:${port}/0`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`);
  return { wallMs, gaps: gapsOf(join(dir, name)) };
}

/** Per consecutive pair (by start time): next start − previous end, in ms (meaningful at concurrency 1). */
function gapsOf(workcells) {
  const runs = readdirSync(workcells)
    .map((c) => JSON.parse(readFileSync(join(workcells, c, 'manifest.json'), 'utf8')).run)
    .map((r) => ({ start: Date.parse(r.started_at), end: Date.parse(r.started_at) + r.duration_ms }))
    .sort((a, b) => a.start - b.start);
  return runs.slice(1).map((r, i) => r.start - runs[i].end);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
let overhead = null;
try {
  for (const c of [1, 2, 4]) {
    const local = runOnce(`local-c${c}`, c, false);
    const queued = runOnce(`redis-c${c}`, c, true);
    rows.push({ c, local: (N / local.wallMs) * 3_600_000, redis: (N / queued.wallMs) * 3_600_000 });
    if (c === 1) overhead = { local: median(local.gaps), redis: median(queued.gaps) };
  }
} finally {
  redis.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `queue scaling: ${N} issues, demo fake runner (100-400 ms real each), time_scale ${TIME_SCALE}, heuristic planner, ${cpus().length} CPUs`,
);
console.log('concurrency  local issues/h  redis issues/h');
for (const r of rows)
  console.log(`${String(r.c).padEnd(11)}  ${r.local.toFixed(0).padStart(14)}  ${r.redis.toFixed(0).padStart(14)}`);
console.log(
  `median gap between issues at concurrency 1: local ${overhead.local} ms, redis ${overhead.redis} ms; queue overhead ≈ ${overhead.redis - overhead.local} ms per issue`,
);
