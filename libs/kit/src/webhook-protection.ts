import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { counter } from './metrics';
import { TokenBuckets } from './token-bucket';

export interface WebhookRouteLimits {
  /** Path prefix the limits apply to, e.g. '/webhooks/' (every provider callback). */
  prefix: string;
  /** Largest body accepted on these routes, bytes: larger is refused with 413 before it is read. */
  bodyLimit: number;
  /** Per source IP: requests at once, and sustained per minute; over it, 429 with Retry-After. */
  burst: number;
  perMinute: number;
}

const refused = counter(
  'omnigate_webhook_refused_total',
  'Webhook requests refused before any handler ran (rate limit, body size)',
  ['app', 'reason'],
);

/** The 429 every limited route sends: JSON with a stable code, and when to come back. */
export function rateLimitedBody(retryAfterS: number): Record<string, unknown> {
  return {
    statusCode: 429,
    code: 'HTTP.RATE_LIMITED',
    message: `too many requests from this address: retry after ${retryAfterS} s`,
  };
}

/**
 * Hardening for provider webhooks on a Fastify app, in one call (startHttpApp's `webhooks`
 * option): a per-route body limit (Fastify refuses a larger body with 413 while reading it; a
 * declared Content-Length over it is refused at once, with the limit as reason) and a token bucket
 * per source IP (429 + Retry-After). Both counted in omnigate_webhook_refused_total. Runs before
 * signature checks, so a flood costs no HMAC and no body parsing.
 */
export function installWebhookProtection(
  app: NestFastifyApplication,
  appName: string,
  routes: WebhookRouteLimits[],
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const limited = routes.map((r) => ({ ...r, buckets: new TokenBuckets(r) }));
  const match = (url: string) => limited.find((r) => url.startsWith(r.prefix));
  fastify.addHook('onRoute', (route) => {
    const r = match(route.url);
    if (r) route.bodyLimit = r.bodyLimit;
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    const r = match(req.url);
    if (!r) return done();
    const taken = r.buckets.take(req.ip);
    if (!taken.ok) {
      refused.inc({ app: appName, reason: 'rate_limited' });
      const retryAfterS = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      void reply
        .code(429)
        .header('retry-after', String(retryAfterS))
        .send(rateLimitedBody(retryAfterS));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > r.bodyLimit) {
      void reply.code(413).send(tooLargeBody(r.bodyLimit));
      return;
    }
    done();
  });
  // Counts both 413s: ours (declared length) and Fastify's (a chunked body growing over it).
  fastify.addHook('onResponse', (req, reply, done) => {
    if (reply.statusCode === 413 && match(req.url)) {
      refused.inc({ app: appName, reason: 'too_large' });
    }
    done();
  });
}

function tooLargeBody(limit: number): Record<string, unknown> {
  return {
    statusCode: 413,
    code: 'HTTP.BODY_TOO_LARGE',
    message: `the request body is larger than this webhook accepts (${limit} bytes)`,
  };
}

/**
 * The same token bucket for a plain Node request handler (socket.io's engine middleware, which
 * runs before Fastify sees the request): 429 + Retry-After, or next().
 */
export function rateLimitMiddleware(
  appName: string,
  limits: { burst: number; perMinute: number },
  keyOf: (req: IncomingMessage) => string = (req) => req.socket.remoteAddress ?? 'unknown',
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  const buckets = new TokenBuckets(limits);
  return (req, res, next) => {
    const taken = buckets.take(keyOf(req));
    if (taken.ok) return next();
    refused.inc({ app: appName, reason: 'rate_limited' });
    const retryAfterS = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterS) });
    res.end(JSON.stringify(rateLimitedBody(retryAfterS)));
  };
}
