import { join } from 'node:path';
import { z } from 'zod';
import { proxyEntryProblem, splitProxyList } from './trusted-proxies';

/** A stream's max_age in ms: at least a second, at most 10 years. */
const streamAge = z.coerce.number().int().min(1000).max(315_360_000_000).optional();

/** TRUSTED_PROXIES: comma-separated IPs and CIDR blocks, each checked; every bad one listed. */
const proxyList = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const entries = splitProxyList(v);
    for (const problem of entries.map(proxyEntryProblem)) {
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return entries;
  });

/**
 * Keys every app reads: the bus and the HTTP edge. A gateway's schema extends this one only: it has
 * no database and no data key (`AppEnv.extend({...})`).
 */
export const AppEnv = z.object({
  /** One server, or every node of a cluster comma-separated (the client fails over between them). */
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /**
   * Copies of every stream, KV bucket and object store: 3 on the three-node cluster of
   * deploy/nats/cluster, at most 5 (JetStream's limit). Unset: new ones get 1 and existing ones
   * keep theirs, so only a value someone set scales a stream up or down.
   */
  NATS_REPLICAS: z.coerce.number().int().min(1).max(5).optional(),
  /** This service's NATS user (deploy/nats/nats-users.conf); unset = no auth (dev, tests). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASS: z.string().min(1).optional(),
  /** Alternative to NATS_USER/NATS_PASS: a bearer token. */
  NATS_TOKEN: z.string().min(1).optional(),
  /** TLS to NATS: the CA that signed the server certificate, and a client cert/key for mTLS. */
  NATS_TLS_CA: z.string().min(1).optional(),
  NATS_TLS_CERT: z.string().min(1).optional(),
  NATS_TLS_KEY: z.string().min(1).optional(),
  /** Reply-subject prefix; default `_INBOX.<NATS_USER>` with a user (what its permissions allow). */
  NATS_INBOX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be subject tokens, e.g. _INBOX.router')
    .optional(),
  LOG_LEVEL: z.enum(['verbose', 'debug', 'log', 'warn', 'error', 'fatal']).default('log'),
  /** Interface the HTTP servers bind to. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The management port: /metrics (Prometheus) and /health/live, apart from the public port.
   * Unset: 9464 with NODE_ENV=production (one app per container), else any free port (tests start
   * many apps in one process; `npm start` gives each its own, printed at start).
   */
  MANAGEMENT_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Interface of the management port; default HOST. */
  MANAGEMENT_HOST: z.string().min(1).optional(),
  /**
   * The load balancers / ingresses in front of the HTTP port (IPs and CIDR blocks, comma-separated):
   * X-Forwarded-For is believed only from these peers, so `request.ip` (and every per-IP rate limit)
   * is the real client behind them and the TCP peer otherwise. Default: none.
   */
  TRUSTED_PROXIES: proxyList,
  /** `production` makes some keys required (e.g. the in-app JWT's issuer and audience). */
  NODE_ENV: z.string().trim().optional(),
  /**
   * Provider webhooks, per source IP: requests at once and sustained per minute (429 with
   * Retry-After beyond). Generous by default: providers retry, floods do not get through.
   */
  WEBHOOK_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(200),
  WEBHOOK_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /**
   * JetStream max_age per stream, ms (defaults in libs/bus streams.ts: 7 days for MSG_IN, MSG_OUT
   * and MSG_STATUS, 7 days for CORE_EVENTS, 1 day for CONV_EVENTS, 30 days for DLQ). Give every app the same values.
   */
  STREAM_MAX_AGE_MSG_IN_MS: streamAge,
  STREAM_MAX_AGE_MSG_OUT_MS: streamAge,
  STREAM_MAX_AGE_MSG_STATUS_MS: streamAge,
  STREAM_MAX_AGE_CONV_EVENTS_MS: streamAge,
  STREAM_MAX_AGE_CORE_EVENTS_MS: streamAge,
  STREAM_MAX_AGE_DLQ_MS: streamAge,
});
export type AppEnv = z.infer<typeof AppEnv>;

/** NODE_ENV=production: what the container images set (deploy/docker). */
export function isProduction(env: { NODE_ENV?: string | undefined }): boolean {
  return env.NODE_ENV === 'production';
}

/** The port Prometheus scrapes in production when MANAGEMENT_PORT is unset. */
export const DEFAULT_MANAGEMENT_PORT = 9464;

/** Where an app's management server listens (MANAGEMENT_PORT, MANAGEMENT_HOST). */
export function managementOf(env: AppEnv): { port: number; host: string } {
  const fallback = isProduction(env) ? DEFAULT_MANAGEMENT_PORT : 0;
  return { port: env.MANAGEMENT_PORT ?? fallback, host: env.MANAGEMENT_HOST ?? env.HOST };
}

/** The database part: only the apps that own tables read it (router, console, vault). */
export const DatabaseEnv = z.object({
  /** PostgreSQL; without it the apps use embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * Encryption at rest (off when unset): key-encryption keys `id:<base64 32 bytes>,...` (the first
   * wraps new data keys; older ones only unwrap) and the blind-index key (base64, 32 bytes).
   */
  DATA_KEKS: z.string().min(1).optional(),
  DATA_INDEX_KEY: z.string().min(1).optional(),
});
export type DatabaseEnv = z.infer<typeof DatabaseEnv>;

/** The bus/HTTP keys plus the database: what an app with tables reads (`CommonEnv.extend({...})`). */
export const CommonEnv = AppEnv.extend(DatabaseEnv.shape);
export type CommonEnv = z.infer<typeof CommonEnv>;

/** The keys that open a database: an edge (a gateway) reads none of them. */
export type DatabaseKeys = keyof DatabaseEnv;

export function busOptionsFrom(env: AppEnv, name: string) {
  if ((env.NATS_TLS_CERT === undefined) !== (env.NATS_TLS_KEY === undefined)) {
    throw new Error('set both NATS_TLS_CERT and NATS_TLS_KEY (mutual TLS), or neither');
  }
  const tls =
    env.NATS_TLS_CA || env.NATS_TLS_CERT
      ? {
          tls: {
            ...(env.NATS_TLS_CA ? { caFile: env.NATS_TLS_CA } : {}),
            ...(env.NATS_TLS_CERT
              ? { certFile: env.NATS_TLS_CERT, keyFile: env.NATS_TLS_KEY }
              : {}),
          },
        }
      : {};
  const inboxPrefix =
    env.NATS_INBOX_PREFIX ?? (env.NATS_USER ? `_INBOX.${env.NATS_USER}` : undefined);
  return {
    url: env.NATS_URL,
    name,
    user: env.NATS_USER,
    pass: env.NATS_PASS,
    token: env.NATS_TOKEN,
    ...(env.NATS_REPLICAS !== undefined ? { replicas: env.NATS_REPLICAS } : {}),
    ...tls,
    ...(inboxPrefix ? { inboxPrefix } : {}),
    streamMaxAgeMs: {
      MSG_IN: env.STREAM_MAX_AGE_MSG_IN_MS,
      MSG_OUT: env.STREAM_MAX_AGE_MSG_OUT_MS,
      MSG_STATUS: env.STREAM_MAX_AGE_MSG_STATUS_MS,
      CONV_EVENTS: env.STREAM_MAX_AGE_CONV_EVENTS_MS,
      CORE_EVENTS: env.STREAM_MAX_AGE_CORE_EVENTS_MS,
      DLQ: env.STREAM_MAX_AGE_DLQ_MS,
    },
  };
}

/**
 * The database and encryption-at-rest part of an app's config. `blindIndex: false` for an app that
 * only opens what it shows (the console): it needs the KEKs, not the key that finds addresses.
 */
export function databaseConfigFrom(
  env: DatabaseEnv,
  opts: { blindIndex?: boolean } = {},
): {
  url?: string;
  dataDir?: string;
  protection?: { keks: string; indexKey?: string };
} {
  const blindIndex = opts.blindIndex ?? true;
  if (blindIndex && (env.DATA_KEKS === undefined) !== (env.DATA_INDEX_KEY === undefined)) {
    throw new Error('set both DATA_KEKS and DATA_INDEX_KEY (encryption at rest), or neither');
  }
  const indexKey = blindIndex ? { indexKey: env.DATA_INDEX_KEY } : {};
  const protection = env.DATA_KEKS ? { protection: { keks: env.DATA_KEKS, ...indexKey } } : {};
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, ...protection };
  // 'memory://...' is kept as is: tests hand the apps an in-memory PGlite.
  if (env.DATA_DIR.startsWith('memory://')) return { dataDir: env.DATA_DIR, ...protection };
  return { dataDir: join(env.DATA_DIR, 'pgdata'), ...protection };
}

/** The webhook limits of a gateway: its routes under `prefix`, bodies up to `bodyLimit` bytes. */
export function webhookLimitsFrom(
  env: AppEnv,
  prefix: string,
  bodyLimit: number,
): { prefix: string; bodyLimit: number; burst: number; perMinute: number } {
  return {
    prefix,
    bodyLimit,
    burst: env.WEBHOOK_RATE_BURST,
    perMinute: env.WEBHOOK_RATE_PER_MINUTE,
  };
}
