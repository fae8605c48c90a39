/** Prometheus metrics: scraped over HTTP on loopback after a kernel run, and a port in use is a coded error. */
import { createServer, type Server } from 'node:net';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKernel } from '../../core/kernel/kernel.js';
import { startMetricsServer, type MetricsServer } from '../../core/rollout/metrics-server.js';
import { PlannerMetrics } from '../../core/rollout/planner-metrics.js';
import {
  issue,
  kernelConfig,
  runnerYaml,
  scriptedPlannerYaml,
  scriptedRegistry,
  tempDir,
  writeRunnerScript,
} from '../kernel/kernel-helpers.js';
import { scrape, valueOf } from './exposition.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function setUp(extraYaml = '', flags = '') {
  const dir = tempDir('cyntra-metrics-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const script = writeRunnerScript(dir);
  const config = kernelConfig(dir, `${scriptedPlannerYaml(flags)}${runnerYaml(script, { CODE_0: '0' }, extraYaml)}`);
  const bundle = config.planner.modelPath!;
  cleanup.push(() => rmSync(bundle, { recursive: true, force: true }));
  return { dir, config };
}

describe('Prometheus metrics', () => {
  it('counts predictions, fallbacks, latency, confidence, runs and the serving bundle; scraped over HTTP', async () => {
    const { config } = setUp('', '    enabled_risk_levels: ["low"]\n');
    const metrics = new PlannerMetrics();
    const server: MetricsServer = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
    cleanup.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const issues = [issue('M-1'), issue('M-2'), issue('M-3', { dk_risk: 'high' })];
    await runKernel(config, issues, { registry: scriptedRegistry(), rollout: { metrics } });
    const { status, contentType, samples } = await scrape(server.url);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      valueOf(samples, 'cyntra_planner_predictions_total', { backend: 'scripted', source: 'model', reason: 'none' }),
    ).toBe(2);
    expect(
      valueOf(samples, 'cyntra_planner_predictions_total', {
        source: 'heuristic',
        reason: 'not_asked:risk_not_enabled',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'cyntra_planner_inference_duration_seconds_count', { backend: 'scripted' })).toBe(2);
    expect(valueOf(samples, 'cyntra_planner_model_confidence_count', { backend: 'scripted' })).toBe(2);
    expect(valueOf(samples, 'cyntra_planner_model_confidence_bucket', { backend: 'scripted', le: '0.9' })).toBe(0);
    expect(valueOf(samples, 'cyntra_planner_runs_total', { outcome: 'success' })).toBe(3);
    expect(valueOf(samples, 'cyntra_planner_model_reloads_total', { result: 'refused' })).toBe(0);
    const info = samples.find((s) => s.name === 'cyntra_planner_model_info');
    expect(info?.value).toBe(1);
    expect(info?.labels).toMatchObject({ backend: 'scripted', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    // Counters end in _total and durations are in seconds.
    for (const s of samples.filter((x) => x.name.startsWith('cyntra_planner_')))
      expect(s.name).toMatch(/(_total|_seconds_(bucket|sum|count)|_confidence_(bucket|sum|count)|_info)$/);
  });

  it('low confidence is counted as a fallback by reason', async () => {
    const { config } = setUp();
    const metrics = new PlannerMetrics();
    await runKernel(config, [issue('L-1')], { registry: scriptedRegistry(0), rollout: { metrics } });
    const samples = (await import('./exposition.js')).parseExposition(await metrics.registry.metrics());
    expect(valueOf(samples, 'cyntra_planner_fallbacks_total', { reason: 'low_confidence' })).toBe(1);
    expect(
      valueOf(samples, 'cyntra_planner_predictions_total', { source: 'heuristic', reason: 'low_confidence' }),
    ).toBe(1);
  });

  it('kernel.metrics starts the endpoint, reports its URL, and a port in use stops the kernel with METRICS_PORT_IN_USE', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const port = (blocker.address() as { port: number }).port;
    const busy = setUp(`  metrics: { port: ${port}, host: 127.0.0.1 }\n`);
    const failure = await runKernel(busy.config, [issue('P-1')], { registry: scriptedRegistry() }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'METRICS_PORT_IN_USE' });
    expect(String((failure as Error).message)).toContain(`127.0.0.1:${port}`);
    // nothing ran: the workcells directory (made for the run's lock, released again) holds no workcell
    const wc = join(busy.dir, 'wc');
    expect(existsSync(wc) ? readdirSync(wc) : []).toEqual([]);

    const free = setUp('  metrics: { port: 0 }\n');
    const urls: string[] = [];
    await runKernel(free.config, [issue('P-2')], {
      registry: scriptedRegistry(),
      rollout: { onMetricsListening: (u) => urls.push(u) },
    });
    expect(urls).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)]);
    expect(readdirSync(join(free.dir, 'wc'))).toHaveLength(1);
  });
});
