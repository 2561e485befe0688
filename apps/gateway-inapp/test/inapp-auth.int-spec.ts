import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { KeyLike } from 'jose';
import type { RunningHttpApp } from '@omnigate/kit';
import { parseConfig } from '@omnigate/kit';
import { freePort, metricsUrl, pollUntil } from '@omnigate/testing';
import { AppTokenService } from '../src/auth/app-token.service';
import { GatewayInappEnv } from '../src/config/gateway-inapp.config';
import { SocketPool, VAULT_PUBLIC_KEY, appToken, startInappSystem } from './inapp.harness';
import type { InappSystem } from './inapp.harness';

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').pop()) : 0;
}

describe('gateway-inapp: the app login JWT at connect (HS256)', () => {
  let sys: InappSystem;
  let gw: RunningHttpApp;
  const pool = new SocketPool();

  beforeAll(async () => {
    sys = await startInappSystem();
    gw = sys.gateway;
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await sys?.stop();
  });

  it('is ready with NATS alone (no database), on /health', async () => {
    const res = await fetch(`${gw.url}/health`);
    expect(res.status).toBe(200);
    // No database check among them; `consumers` is the bus's (no message waiting on a transient failure).
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { nats: true, streams: true, consumers: true },
    });
  });

  it('accepts a valid token in the handshake auth and counts the connection', async () => {
    const before = await metric(metricsUrl(gw), /^omnigate_inapp_connections /);
    const socket = await pool.connect(gw.url, await appToken('user-ok'));
    expect(socket.connected).toBe(true);
    expect(await metric(metricsUrl(gw), /^omnigate_inapp_connections /)).toBe(before + 1);
    socket.close();
    await pollUntil(
      async () => (await metric(metricsUrl(gw), /^omnigate_inapp_connections /)) === before,
      {
        what: 'the gauge back down',
      },
    );
  });

  it('refuses a bad signature with INAPP.TOKEN_INVALID', async () => {
    const forged = await appToken('user-1', { secret: 'someone-elses-secret-0123456789abcdef' });
    const err = await pool.refusal(gw.url, { token: forged });
    expect(err.message).toBe('INAPP.TOKEN_INVALID');
    expect(err.data).toEqual({
      code: 'INAPP.TOKEN_INVALID',
      message: expect.stringContaining('refused') as unknown,
    });
  });

  it('refuses a tampered payload (sub changed after signing) with INAPP.TOKEN_INVALID', async () => {
    const [h, , s] = (await appToken('user-1')).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'someone-else', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    expect((await pool.refusal(gw.url, { token: `${h}.${payload}.${s}` })).message).toBe(
      'INAPP.TOKEN_INVALID',
    );
  });

  it('refuses an expired token with INAPP.TOKEN_EXPIRED', async () => {
    const err = await pool.refusal(gw.url, {
      token: await appToken('user-1', { expiresInS: -30 }),
    });
    expect(err.message).toBe('INAPP.TOKEN_EXPIRED');
    expect(err.data).toMatchObject({ code: 'INAPP.TOKEN_EXPIRED' });
  });

  it('refuses a missing token with INAPP.UNAUTHORIZED, and never reads one from the query string', async () => {
    expect((await pool.refusal(gw.url, undefined)).message).toBe('INAPP.UNAUTHORIZED');
    expect((await pool.refusal(gw.url, {})).message).toBe('INAPP.UNAUTHORIZED');
    expect(
      (await pool.refusal(gw.url, undefined, { token: await appToken('user-1') })).message,
    ).toBe('INAPP.UNAUTHORIZED');
  });

  it('refuses a token that is not a string, or a JWT without exp', async () => {
    expect((await pool.refusal(gw.url, { token: { sub: 'user-1' } })).message).toBe(
      'INAPP.TOKEN_INVALID',
    );
    const noExp = await new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('inapp-test-secret-0123456789abcdef'));
    expect((await pool.refusal(gw.url, { token: noExp })).message).toBe('INAPP.TOKEN_INVALID');
  });

  it('counts refusals by code', async () => {
    const line = /^omnigate_inapp_auth_failures_total\{code="INAPP.UNAUTHORIZED"\}/;
    const before = await metric(metricsUrl(gw), line);
    await pool.refusal(gw.url, undefined);
    expect(await metric(metricsUrl(gw), line)).toBe(before + 1);
  });

  it('sends auth_expired and disconnects when the token expires while connected', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-short', { expiresInS: 2 }));
    const expired = new Promise<unknown>((resolve) => socket.once('auth_expired', resolve));
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await expired).toEqual({
      code: 'INAPP.TOKEN_EXPIRED',
      message: expect.any(String) as unknown,
    });
    expect(await reason).toBe('io server disconnect');
  });
});

describe('gateway-inapp: the app login JWT at connect (JWKS, RS256 and ES256)', () => {
  let sys: InappSystem;
  let gw: RunningHttpApp;
  let jwksServer: Server;
  let rsa: { privateKey: KeyLike; publicKey: KeyLike };
  let ec: { privateKey: KeyLike; publicKey: KeyLike };
  let jwksHits = 0;
  const pool = new SocketPool();

  const sign = (key: KeyLike, alg: string, kid: string, claims: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid })
      .setSubject('user-jwks')
      .setIssuer('https://idp.bank.test')
      .setAudience('bank-app')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwksServer = createServer((_req, res) => {
      jwksHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    sys = await startInappSystem({
      INAPP_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      INAPP_JWT_ISSUER: 'https://idp.bank.test',
      INAPP_JWT_AUDIENCE: 'bank-app',
    });
    gw = sys.gateway;
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await sys?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('accepts RS256 and ES256 tokens signed with a key of the JWKS', async () => {
    expect(
      (await pool.connect(gw.url, await sign(rsa.privateKey, 'RS256', 'rsa-1'))).connected,
    ).toBe(true);
    expect((await pool.connect(gw.url, await sign(ec.privateKey, 'ES256', 'ec-1'))).connected).toBe(
      true,
    );
    expect(jwksHits).toBeGreaterThanOrEqual(1);
  });

  it('refuses a token signed with a key outside the JWKS, an HS256 token, and the wrong audience', async () => {
    const stranger = await generateKeyPair('RS256');
    expect(
      (await pool.refusal(gw.url, { token: await sign(stranger.privateKey, 'RS256', 'rsa-1') }))
        .message,
    ).toBe('INAPP.TOKEN_INVALID');
    expect((await pool.refusal(gw.url, { token: await appToken('user-jwks') })).message).toBe(
      'INAPP.TOKEN_INVALID',
    );
    const otherAud = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('user-jwks')
      .setIssuer('https://idp.bank.test')
      .setAudience('another-app')
      .setExpirationTime('10m')
      .sign(rsa.privateKey);
    expect((await pool.refusal(gw.url, { token: otherAud })).message).toBe('INAPP.TOKEN_INVALID');
  });

  it('refuses an expired JWKS-signed token with INAPP.TOKEN_EXPIRED', async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('user-jwks')
      .setIssuer('https://idp.bank.test')
      .setAudience('bank-app')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(rsa.privateKey);
    expect((await pool.refusal(gw.url, { token: expired })).message).toBe('INAPP.TOKEN_EXPIRED');
  });

  it('answers INAPP.AUTH_UNAVAILABLE (retry later) when the JWKS cannot be fetched', async () => {
    const port = await freePort(); // nothing listens there
    const tokens = new AppTokenService(
      parseConfig(GatewayInappEnv, {
        VAULT_PUBLIC_KEY,
        INAPP_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      }),
    );
    await expect(tokens.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'))).rejects.toMatchObject(
      { code: 'INAPP.AUTH_UNAVAILABLE' },
    );
  });
});
