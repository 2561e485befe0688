import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { collectDefaultMetrics, Gauge, register } from 'prom-client';
import type { HealthRegistry } from './health';
import { renderMetrics } from './metrics';

/** Where the management port listens: Prometheus scrapes it, never the public internet. */
export interface ManagementOptions {
  port: number;
  host: string;
}

export interface RunningManagementServer {
  url: string;
  close(): Promise<void>;
}

/** The apps of this process and their readiness checks (npm start runs them all in one). */
const readiness = new Map<string, HealthRegistry>();

/**
 * `omnigate_ready{app,check}`: the readiness checks run at each scrape, so an alert sees "not
 * ready" without anyone calling /health (kubelet's probes do not reach Prometheus).
 */
function readinessGauge(): void {
  if (register.getSingleMetric('omnigate_ready')) return;
  new Gauge({
    name: 'omnigate_ready',
    help: 'Readiness check passing (1) or failing (0), per app and check, run at each scrape',
    labelNames: ['app', 'check'],
    async collect() {
      this.reset();
      for (const [app, registry] of readiness) {
        for (const [check, up] of Object.entries(await registry.run())) {
          this.set({ app, check }, up ? 1 : 0);
        }
      }
    },
  });
}

/** CPU, memory, event-loop lag, GC, handles: once per process, whatever number of apps. */
function processMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics();
}

/**
 * The management port: `/metrics` (Prometheus) and `/health/live`, apart from the public port
 * where provider webhooks arrive, so metrics (queue sizes, failure counts) are not published to
 * whoever can reach a webhook, and a NetworkPolicy can open this port to Prometheus only.
 */
export async function startManagementServer(
  app: string,
  health: HealthRegistry,
  opts: ManagementOptions,
): Promise<RunningManagementServer> {
  processMetrics();
  readinessGauge();
  readiness.set(app, health);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      renderMetrics().then(
        (m) => res.writeHead(200, { 'content-type': m.contentType }).end(m.body),
        () => res.writeHead(500).end(),
      );
    } else if (path === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  await listen(server, opts);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost(opts.host)}:${port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        readiness.delete(app);
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function listen(server: Server, opts: ManagementOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** 0.0.0.0 and :: are where to listen, not where to connect: a URL names loopback instead. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
