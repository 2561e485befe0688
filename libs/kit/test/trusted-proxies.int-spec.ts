import { Controller, HttpCode, Module, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { register } from 'prom-client';
import { parseConfig, startHttpApp, AppEnv, webhookLimitsFrom } from '../src';
import type { RunningHttpApp } from '../src';

@Controller('webhooks')
class EchoController {
  /** Which address the app believes the caller has (what every per-IP limit counts). */
  @Post('echo')
  @HttpCode(200)
  echo(@Req() req: FastifyRequest): { ip: string } {
    return { ip: req.ip };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const BURST = 3;

/** An app as every gateway starts it: TRUSTED_PROXIES from its config, webhook limits per IP. */
async function start(env: Record<string, string>): Promise<RunningHttpApp> {
  const config = parseConfig(AppEnv, {
    WEBHOOK_RATE_BURST: String(BURST),
    WEBHOOK_RATE_PER_MINUTE: '1',
    LOG_LEVEL: 'error',
    ...env,
  });
  return startHttpApp(EchoModule, {
    name: 'trusted-proxies-test',
    port: 0,
    logLevel: config.LOG_LEVEL,
    trustedProxies: config.TRUSTED_PROXIES,
    webhooks: [webhookLimitsFrom(config, '/webhooks/', 1024)],
  });
}

/** omnigate_webhook_refused_total{app="trusted-proxies-test",reason="rate_limited"}. */
async function refusedCount(): Promise<number> {
  const metric = register.getSingleMetric('omnigate_webhook_refused_total');
  const values = (await metric?.get())?.values ?? [];
  const ours = values.find(
    (v) => v.labels.app === 'trusted-proxies-test' && v.labels.reason === 'rate_limited',
  );
  return ours?.value ?? 0;
}

function post(app: RunningHttpApp, xff?: string): Promise<Response> {
  return fetch(`${app.url}/webhooks/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(xff ? { 'x-forwarded-for': xff } : {}) },
    body: '{}',
  });
}

describe('X-Forwarded-For and the per-IP rate limit (TRUSTED_PROXIES)', () => {
  let untrusted: RunningHttpApp;
  let trusted: RunningHttpApp;

  beforeAll(async () => {
    // The test client is the TCP peer 127.0.0.1: untrusted by default, or listed as the proxy.
    untrusted = await start({});
    trusted = await start({ TRUSTED_PROXIES: '10.9.0.0/16, 127.0.0.1' });
  });
  afterAll(async () => {
    await untrusted?.close();
    await trusted?.close();
  });

  it('ATTACK: a flood with a new X-Forwarded-For each time from an untrusted peer is still limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 3; i++) {
      const res = await post(untrusted, `198.51.100.${i + 1}`);
      statuses.push(res.status);
      if (res.status === 200) expect(await res.json()).toEqual({ ip: '127.0.0.1' });
    }
    // One bucket (the peer's): the burst passes, then every request is refused.
    expect(statuses).toEqual([...Array<number>(BURST).fill(200), 429, 429, 429]);
    const refused = await post(untrusted, '203.0.113.250');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await refused.json()).toMatchObject({ code: 'HTTP.RATE_LIMITED' });
    expect(await refusedCount()).toBeGreaterThanOrEqual(4);
  });

  it('from a trusted proxy, the client it reports is the key: each client its own bucket', async () => {
    for (let i = 0; i < BURST + 3; i++) {
      const res = await post(trusted, `198.51.100.${i + 1}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ip: `198.51.100.${i + 1}` });
    }
    // One client behind the proxy is limited on its own.
    const one: number[] = [];
    for (let i = 0; i < BURST + 1; i++) one.push((await post(trusted, '192.0.2.44')).status);
    expect(one).toEqual([...Array<number>(BURST).fill(200), 429]);
  });

  it('ATTACK: a client behind the trusted proxy cannot pick its address by sending its own header', async () => {
    // The proxy appends the real client (192.0.2.77) to whatever the client sent.
    const res = await post(trusted, '6.6.6.6, 192.0.2.77');
    expect(await res.json()).toEqual({ ip: '192.0.2.77' });
    // Hops written by trusted proxies (10.9.x.x) are skipped; the first untrusted one counts.
    const chained = await post(trusted, '6.6.6.6, 192.0.2.78, 10.9.3.4');
    expect(await chained.json()).toEqual({ ip: '192.0.2.78' });
  });
});
