import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { RunningHttpApp } from '@omnigate/kit';
import { bootstrap } from '../src/bootstrap';

const REDIRECT = 'http://app.test/cb';
const SECRET = 'sandbox-oidc-secret-1';

describe('sandbox: OpenID Connect stand-in', () => {
  let sandbox: RunningHttpApp;
  let issuer: string;

  beforeAll(async () => {
    sandbox = await bootstrap({
      SANDBOX_PORT: '0',
      LOG_LEVEL: 'warn',
      SANDBOX_OIDC_CLIENT_SECRET: SECRET,
      SANDBOX_OIDC_USERS: 'olga:agent:general|fraud',
      SANDBOX_OIDC_REDIRECT_URIS: REDIRECT,
    });
    issuer = `${sandbox.url}/oidc`;
  });
  afterAll(() => sandbox?.close());

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = async (over: Record<string, string> = {}) => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: 'omnigate-console',
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 's1',
      nonce: 'n1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: 'olga',
      ...over,
    });
    return fetch(`${issuer}/authorize?${q.toString()}`, { redirect: 'manual' });
  };
  const codeFrom = async (res: Response) => new URL(res.headers.get('location')!).searchParams;
  const token = (form: Record<string, string>, secret = SECRET) =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`omnigate-console:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams(form).toString(),
    });

  it('publishes discovery and a JWKS with one RS256 key', async () => {
    const doc = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('issues a code for the login_hint user and an id_token for it, checking PKCE, once', async () => {
    const back = await codeFrom(await authorize());
    expect(back.get('state')).toBe('s1');
    const code = back.get('code')!;
    const wrongVerifier = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });
    // A failed exchange used the code up: a fresh one for the good exchange.
    const fresh = (await codeFrom(await authorize())).get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    };
    const ok = await token(form);
    expect(ok.status).toBe(200);
    const { id_token } = (await ok.json()) as { id_token: string };
    const { payload, protectedHeader } = await jwtVerify(
      id_token,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      { issuer, audience: 'omnigate-console' },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      preferred_username: 'olga',
      nonce: 'n1',
      omnigate_role: 'agent',
      omnigate_queues: ['general', 'fraud'],
    });
    expect((await (await token(form)).json()) as object).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong client secret, an unknown client, an unregistered redirect and no PKCE', async () => {
    const code = (await codeFrom(await authorize())).get('code')!;
    const bad = await token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      'not-the-secret',
    );
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    expect((await authorize({ client_id: 'other' })).status).toBe(400);
    const evil = await authorize({ redirect_uri: 'http://evil.test/cb' });
    expect(evil.status).toBe(400);
    expect(await evil.json()).toMatchObject({ error: 'invalid_request' });
    const noPkce = await codeFrom(await authorize({ code_challenge_method: 'plain' }));
    expect(noPkce.get('error')).toBe('invalid_request');
    expect((await codeFrom(await authorize({ login_hint: 'nobody' }))).get('error')).toBe(
      'access_denied',
    );
  });
});
