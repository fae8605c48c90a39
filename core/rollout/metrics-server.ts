/**
 * The Prometheus endpoint: `GET /metrics` on `kernel.metrics.host:port` (port 0 picks a free one). A port already
 * in use is METRICS_PORT_IN_USE naming host and port; the bound URL is returned for the CLI to print.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { PlannerMetrics } from './planner-metrics.js';
import type { MetricsSettings } from './rollout-config.js';

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(metrics: PlannerMetrics, settings: MetricsSettings): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; metrics are at /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(e)}\n`),
    );
  });
  await listen(server, settings);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, { port, host }: MetricsSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      const inUse = cause.code === 'EADDRINUSE';
      const code = inUse ? ErrorCodes.METRICS_PORT_IN_USE : ErrorCodes.METRICS_LISTEN_FAILED;
      const what = inUse ? 'is already in use' : `cannot be listened on (${cause.code ?? cause.message})`;
      reject(
        new PlannerError(
          code,
          `kernel.metrics: ${host}:${port} ${what}; set kernel.metrics.port to a free port (0 picks one) or stop the other process`,
          { context: { host, port }, cause },
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
}
