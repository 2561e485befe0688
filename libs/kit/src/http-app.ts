import type { Server } from 'node:http';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import formbody from '@fastify/formbody';
import { HealthRegistry } from './health';
import { JsonLogger } from './logger';
import { startManagementServer } from './management-server';
import type { ManagementOptions, RunningManagementServer } from './management-server';
import { TrustedProxies } from './trusted-proxies';
import { installWebhookProtection } from './webhook-protection';
import type { WebhookRouteLimits } from './webhook-protection';

export interface HttpAppOptions {
  name: string;
  port: number;
  host?: string;
  logLevel?: LogLevel;
  /** Largest request body accepted, bytes (webhooks are small). */
  bodyLimit?: number;
  /**
   * The peers whose X-Forwarded-For is believed (the app's TRUSTED_PROXIES: IPs and CIDR blocks).
   * Default: none, so `request.ip` is the TCP peer; behind a load balancer list its addresses, or
   * every client shares the balancer's rate-limit bucket. Never every peer: anyone could then pick
   * the address the per-IP rate limits count.
   */
  trustedProxies?: readonly string[];
  /** Body size and per-IP rate limits for provider webhooks (webhook-protection.ts). */
  webhooks?: WebhookRouteLimits[];
  /** Called before listen, e.g. to mount Swagger or a WebSocket adapter. */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
  /**
   * The bus transport serving the app's `@OnRequest` / `@OnStream` handlers (libs/bus
   * `busTransport`): started after the app's init (its NATS connection is up) and before listen,
   * stopped in the bus's shutdown order.
   */
  transport?: (app: INestApplication) => CustomTransportStrategy;
  /** The management port (/metrics, /health/live): `managementOf(config)`; omitted: none. */
  management?: ManagementOptions;
}

export interface RunningHttpApp {
  app: INestApplication;
  url: string;
  /** The management server's base URL (`${managementUrl}/metrics`); null without one. */
  managementUrl: string | null;
  close(): Promise<void>;
}

/** Fastify + JSON logger + form bodies + shutdown hooks (drain on SIGTERM) + listen. */
export async function startHttpApp(module: unknown, opts: HttpAppOptions): Promise<RunningHttpApp> {
  const logger = new JsonLogger(opts.name, opts.logLevel ?? 'log');
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    trustProxy: new TrustedProxies(opts.trustedProxies ?? []).fastifyTrust(),
    // The HTTP server closes last, after the bus and the database: a request still open then cannot
    // succeed, and a client's keep-alive socket must not hold the shutdown for Fastify's 72 s
    // keep-alive timeout (seen in CI: a 70 s stop when a provider's callback socket was open).
    forceCloseConnections: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger,
    bufferLogs: true,
    // Fastify parses JSON itself and @fastify/formbody (below) parses forms; Nest's own parsers
    // would register the urlencoded type a second time and fail at listen.
    bodyParser: false,
  });
  await app.register(formbody as never);
  if (opts.webhooks?.length) installWebhookProtection(app, opts.name, opts.webhooks);
  const strategy = opts.transport?.(app);
  if (strategy) app.connectMicroservice({ strategy }, { inheritAppConfig: false });
  app.enableShutdownHooks();
  await opts.configure?.(app);
  if (strategy) await startMicroservice(app);
  await app.listen(opts.port, opts.host ?? '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const management = opts.management
    ? await startManagement(app, opts.name, opts.management)
    : null;
  return { app, url, managementUrl: management?.url ?? null, close: () => app.close() };
}

/**
 * The management server starts once the app listens and closes with it: on SIGTERM Nest closes
 * the HTTP server last, and an open management socket must not keep the process alive.
 */
async function startManagement(
  app: INestApplication,
  name: string,
  where: ManagementOptions,
): Promise<RunningManagementServer> {
  try {
    const health = app.get(HealthRegistry, { strict: false });
    const running = await startManagementServer(name, health, where);
    (app.getHttpServer() as Server).once('close', () => void running.close());
    return running;
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
}

/** Handlers start consuming only once every module is up; a failure leaves nothing running. */
async function startMicroservice(app: INestApplication): Promise<void> {
  try {
    await app.init();
    await app.startAllMicroservices();
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
}
