import type { RunningHttpApp } from '@omnigate/kit';
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';
import { oidcAgentId } from '../src/auth/oidc-login.service';
import { signValue } from '../src/auth/signed-value';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

/** Registered at the provider; the test carries the code to the console's real address itself. */
const REDIRECT = 'http://console.test/api/auth/oidc/callback';
const CLIENT_SECRET = 'oidc-test-client-secret';

const cookieOf = (res: Response, name: string): string | undefined =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`));

// database-incidental: the OIDC code flow, its cookies and refusals; the console's tables are
// tested on both databases by its other integration tests.

describe('console: OIDC login (authorization code + PKCE) against the sandbox provider', () => {
  let sandbox: RunningHttpApp;
  let h: ConsoleHarness;

  beforeAll(async () => {
    sandbox = await startSandbox({
      SANDBOX_PORT: '0',
      LOG_LEVEL: 'warn',
      SANDBOX_OIDC_CLIENT_ID: 'omnigate-console',
      SANDBOX_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      // alice: also a local account of the harness (CONSOLE_AGENTS), a collision to survive.
      SANDBOX_OIDC_USERS:
        'olga:agent:general|fraud,sofia:supervisor,noq:agent,mallory:root,alice:agent:fraud,pam:supervisor',
      // pam signs in with a password only (amr ["pwd"]); everyone else with a second factor.
      SANDBOX_OIDC_PASSWORD_ONLY: 'pam,olga',
      SANDBOX_OIDC_REDIRECT_URIS: REDIRECT,
    });
    h = await startConsole({
      CONSOLE_OIDC_ISSUER: `${sandbox.url}/oidc`,
      CONSOLE_OIDC_CLIENT_ID: 'omnigate-console',
      CONSOLE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      CONSOLE_OIDC_REDIRECT_URL: REDIRECT,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await sandbox?.close();
  });

  /** Start → provider authorize → back to the callback URL (not followed): what the browser does. */
  async function signIn(loginHint: string) {
    const start = await fetch(`${h.url}/api/auth/oidc/start?login_hint=${loginHint}`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const authorizeUrl = new URL(start.headers.get('location')!);
    const stateCookie = cookieOf(start, 'og_oidc')!;
    const atProvider = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(atProvider.status).toBe(302);
    const back = new URL(atProvider.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    const callback = `${h.url}/api/auth/oidc/callback${back.search}`;
    return { start, authorizeUrl, stateCookie, back, callback };
  }

  it('runs the whole code flow: PKCE S256, state and nonce, id_token verified, session cookie set', async () => {
    const { start, authorizeUrl, stateCookie, callback } = await signIn('olga');
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${sandbox.url}/oidc/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'omnigate-console',
      redirect_uri: REDIRECT,
      code_challenge_method: 'S256',
      login_hint: 'olga',
      scope: 'openid profile',
    });
    expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorizeUrl.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.headers.getSetCookie()[0]).toMatch(
      /^og_oidc=[^;]+; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/,
    );
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/');
    const session = cookieOf(done, 'og_session')!;
    expect(done.headers.getSetCookie()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^og_session=.+; HttpOnly; SameSite=Strict; Max-Age=1800$/),
        expect.stringMatching(/^og_oidc=; Path=\/api\/auth\/oidc; .*Max-Age=0/),
      ]),
    );
    const me = await h.call('GET', '/api/me', { headers: { cookie: session } });
    expect(await me.json()).toMatchObject({
      agentId: oidcAgentId(`${sandbox.url}/oidc`, 'sandbox|olga'),
      displayName: 'olga',
      role: 'agent',
      queues: ['general', 'fraud'],
    });
    // The code is single-use: replaying the callback fails at the provider.
    const replay = await errorOf(await fetch(callback, { headers: { cookie: stateCookie } }));
    expect(replay).toMatchObject({ status: 400, code: 'CONSOLE.OIDC_STATE_INVALID' });
    expect(replay.message).toContain('invalid_grant');
  });

  it('gives a supervisor from the claims every queue', async () => {
    const { stateCookie, callback } = await signIn('sofia');
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    const me = await h.call('GET', '/api/me', {
      headers: { cookie: cookieOf(done, 'og_session')! },
    });
    expect(await me.json()).toMatchObject({
      displayName: 'sofia',
      role: 'supervisor',
      queues: ['fraud', 'onboarding', 'disputes', 'general'],
    });
  });

  it('takes the agent id from issuer and subject, never preferred_username: a name equal to a local id is another agent', async () => {
    const { stateCookie, callback } = await signIn('alice');
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    const sso = (await (
      await h.call('GET', '/api/me', { headers: { cookie: cookieOf(done, 'og_session')! } })
    ).json()) as { agentId: string; displayName: string; role: string; queues: string[] };
    const local = (await (
      await h.call('GET', '/api/me', { token: await h.login('alice') })
    ).json()) as { agentId: string };
    expect(local.agentId).toBe('alice');
    expect(sso.agentId).toMatch(/^oidc:[A-Za-z0-9_-]{32}$/);
    expect(sso.agentId).not.toBe(local.agentId);
    expect(sso).toMatchObject({ displayName: 'alice', role: 'agent', queues: ['fraud'] });
    // The same person signing in again is the same agent (one id against the two-person rule).
    const again = await signIn('alice');
    const done2 = await fetch(again.callback, {
      redirect: 'manual',
      headers: { cookie: again.stateCookie },
    });
    const me2 = (await (
      await h.call('GET', '/api/me', { headers: { cookie: cookieOf(done2, 'og_session')! } })
    ).json()) as { agentId: string };
    expect(me2.agentId).toBe(sso.agentId);
  });

  it('refuses a supervisor whose sign-in at the provider had no second factor (amr), not an agent', async () => {
    const pam = await signIn('pam');
    const e = await errorOf(await fetch(pam.callback, { headers: { cookie: pam.stateCookie } }));
    expect(e).toMatchObject({ status: 401, code: 'CONSOLE.UNAUTHORIZED' });
    expect(e.message).toContain('needs a second factor');
    const olga = await signIn('olga');
    const ok = await fetch(olga.callback, {
      redirect: 'manual',
      headers: { cookie: olga.stateCookie },
    });
    expect(ok.status).toBe(302);
  });

  it('refuses a callback without the state cookie, with another state or a forged cookie', async () => {
    const { stateCookie, callback, back } = await signIn('olga');
    const none = await errorOf(await fetch(callback));
    expect(none).toMatchObject({ status: 400, code: 'CONSOLE.OIDC_STATE_INVALID' });
    const other = await signIn('olga');
    const swapped = await errorOf(
      await fetch(callback, { headers: { cookie: other.stateCookie } }),
    );
    expect(swapped).toMatchObject({ status: 400, code: 'CONSOLE.OIDC_STATE_INVALID' });
    expect(swapped.message).toContain('state does not match');
    const [body, mac] = stateCookie.slice('og_oidc='.length).split('.') as [string, string];
    const pending = JSON.parse(Buffer.from(body, 'base64url').toString()) as object;
    const forged = Buffer.from(
      JSON.stringify({
        ...pending,
        state: back.searchParams.get('state'),
        verifier: 'x'.repeat(43),
      }),
    ).toString('base64url');
    const tampered = await errorOf(
      await fetch(callback, { headers: { cookie: `og_oidc=${forged}.${mac}` } }),
    );
    expect(tampered).toMatchObject({ status: 400, code: 'CONSOLE.OIDC_STATE_INVALID' });
    // The genuine one still completes.
    const ok = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(ok.status).toBe(302);
  });

  it('refuses an expired sign-in attempt', async () => {
    const { stateCookie, callback } = await signIn('olga');
    h.clock.advance(11 * 60_000);
    try {
      const e = await errorOf(await fetch(callback, { headers: { cookie: stateCookie } }));
      expect(e).toMatchObject({ status: 400, code: 'CONSOLE.OIDC_STATE_INVALID' });
      expect(e.message).toContain('took too long');
    } finally {
      h.clock.reset();
    }
  });

  it('refuses users the provider refuses, or whose claims give no usable role or queues', async () => {
    const unknown = await signIn('nobody');
    expect(unknown.back.searchParams.get('error')).toBe('access_denied');
    const denied = await errorOf(
      await fetch(unknown.callback, { headers: { cookie: unknown.stateCookie } }),
    );
    expect(denied).toEqual({
      status: 401,
      code: 'CONSOLE.UNAUTHORIZED',
      message: 'the identity provider refused the sign-in (access_denied)',
    });
    const noQueues = await signIn('noq');
    expect(
      await errorOf(await fetch(noQueues.callback, { headers: { cookie: noQueues.stateCookie } })),
    ).toEqual({
      status: 401,
      code: 'CONSOLE.UNAUTHORIZED',
      message: 'an agent needs at least one queue in omnigate_queues',
    });
    const badRole = await signIn('mallory');
    expect(
      (await errorOf(await fetch(badRole.callback, { headers: { cookie: badRole.stateCookie } })))
        .message,
    ).toBe('the identity token has no valid omnigate_role claim');
  });

  it('says single sign-on is available', async () => {
    expect(await (await h.call('GET', '/api/auth/methods')).json()).toEqual({
      local: true,
      oidc: true,
    });
  });

  it('answers 503 when the provider is unreachable or its discovery names another issuer', async () => {
    const base = {
      CONSOLE_OIDC_CLIENT_ID: 'omnigate-console',
      CONSOLE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      CONSOLE_OIDC_REDIRECT_URL: REDIRECT,
    };
    const down = await startConsole({ ...base, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9/oidc' });
    const other = await startConsole({ ...base, CONSOLE_OIDC_ISSUER: `${sandbox.url}/oidc/` });
    try {
      const unreachable = await errorOf(await down.call('GET', '/api/auth/oidc/start'));
      expect(unreachable).toMatchObject({ status: 503, code: 'CONSOLE.OIDC_UNAVAILABLE' });
      const mismatch = await errorOf(await other.call('GET', '/api/auth/oidc/start'));
      expect(mismatch).toEqual({
        status: 503,
        code: 'CONSOLE.OIDC_UNAVAILABLE',
        message: 'the identity provider failed: the discovery document names another issuer',
      });
    } finally {
      await down.stop();
      await other.stop();
    }
  });

  it('refuses an id_token whose nonce is not the one of this sign-in', async () => {
    const { stateCookie, callback } = await signIn('olga');
    const body = stateCookie.slice('og_oidc='.length).split('.')[0]!;
    const pending = JSON.parse(Buffer.from(body, 'base64url').toString()) as { nonce: string };
    // Re-signed with the console's secret: only the nonce differs from what the provider got.
    const other = signValue(h.secret, 'oidc-state', { ...pending, nonce: 'another-nonce' });
    const e = await errorOf(await fetch(callback, { headers: { cookie: `og_oidc=${other}` } }));
    expect(e).toEqual({
      status: 401,
      code: 'CONSOLE.UNAUTHORIZED',
      message: 'the identity token was not issued for this sign-in',
    });
  });
});
