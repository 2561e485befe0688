import { startConsole, errorOf, AGENTS, TTL_MIN } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const GUARDED = [
  ['GET', '/api/conversations'],
  ['GET', '/api/conversations/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c'],
  ['GET', '/api/conversations/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/context'],
  ['POST', '/api/conversations/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/messages'],
  ['POST', '/api/conversations/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/typing'],
  ['GET', '/api/customers/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/consents'],
  ['PUT', '/api/customers/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/consents'],
] as const;

// database-incidental: login, tokens, cookies and headers, none kept in the database.

describe('console: login, bearer tokens, headers, OpenAPI', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  });
  afterAll(async () => {
    await h?.stop();
  });
  afterEach(() => h.clock.reset());

  it('logs an agent in and the token opens the API', async () => {
    const before = Date.now();
    const res = await h.call('POST', '/api/login', {
      body: { agentId: 'alice', password: AGENTS.alice },
    });
    const after = Date.now();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & {
      token: string;
      expiresAt: string;
    };
    expect(Object.keys(body).sort()).toEqual(
      ['agentId', 'csrfToken', 'displayName', 'expiresAt', 'queues', 'role', 'token'].sort(),
    );
    expect(body).toMatchObject({
      agentId: 'alice',
      role: 'agent',
      // Not in CONSOLE_AGENT_QUEUES: a CONSOLE_AGENTS agent belongs to every queue.
      queues: ['fraud', 'onboarding', 'disputes', 'general'],
    });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_MIN * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(after + TTL_MIN * 60_000);
    expect(res.headers.get('set-cookie')).toBe(
      `og_session=${body.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${TTL_MIN * 60}`,
    );
    const list = await h.call('GET', '/api/conversations', { token: body.token });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([]);
  });

  it('refuses a wrong password and an unknown agent with the same 401, without saying which part was wrong', async () => {
    const wrongPw = await h.call('POST', '/api/login', {
      body: { agentId: 'alice', password: AGENTS.bob },
    });
    const unknown = await h.call('POST', '/api/login', {
      body: { agentId: 'mallory', password: AGENTS.alice },
    });
    const a = await errorOf(wrongPw);
    const b = await errorOf(unknown);
    expect(a).toEqual({
      status: 401,
      code: 'CONSOLE.UNAUTHORIZED',
      message: 'wrong agent id or password',
    });
    expect(b).toEqual(a);
  });

  it('answers 400 with the reason for a malformed login body', async () => {
    const missing = await errorOf(
      await h.call('POST', '/api/login', { body: { agentId: 'alice' } }),
    );
    expect(missing.status).toBe(400);
    expect(missing.code).toBe('REQUEST.INVALID');
    expect(missing.message).toContain('body password');
    const notJson = await h.call('POST', '/api/login', {
      body: '{"agentId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it.each(GUARDED)('%s %s without a token → 401 CONSOLE.UNAUTHORIZED', async (method, path) => {
    const e = await errorOf(
      await h.call(method, path, {
        body: method === 'GET' ? undefined : { text: 'x', state: 'start' },
      }),
    );
    expect(e).toMatchObject({ status: 401, code: 'CONSOLE.UNAUTHORIZED' });
  });

  it('refuses another auth scheme, a garbage token and a token signed with another secret', async () => {
    const basic = await errorOf(
      await h.call('GET', '/api/conversations', {
        headers: { authorization: 'Basic YWxpY2U6eA==' },
      }),
    );
    expect(basic).toMatchObject({ status: 401, code: 'CONSOLE.UNAUTHORIZED' });
    const garbage = await errorOf(
      await h.call('GET', '/api/conversations', { token: 'not-a-token' }),
    );
    expect(garbage).toMatchObject({ status: 401, code: 'CONSOLE.TOKEN_INVALID' });
    const other = await startConsole();
    try {
      const foreign = await other.login('alice');
      expect(
        await errorOf(await h.call('GET', '/api/conversations', { token: foreign })),
      ).toMatchObject({
        status: 401,
        code: 'CONSOLE.TOKEN_INVALID',
      });
    } finally {
      await other.stop();
    }
  });

  it('refuses a tampered token (agent id or expiry changed, signature kept)', async () => {
    const token = await h.login('bob');
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
      sub: string;
      exp: number;
    };
    for (const change of [{ sub: 'alice' }, { exp: payload.exp + 86_400_000 }]) {
      const forged = Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url');
      const e = await errorOf(
        await h.call('GET', '/api/conversations', { token: `${forged}.${mac}` }),
      );
      expect(e).toMatchObject({ status: 401, code: 'CONSOLE.TOKEN_INVALID' });
    }
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    expect(
      (await errorOf(await h.call('GET', '/api/conversations', { token: `${body}.${flipped}` })))
        .code,
    ).toBe('CONSOLE.TOKEN_INVALID');
  });

  it('refuses an expired token with CONSOLE.TOKEN_EXPIRED', async () => {
    const token = await h.login('alice');
    h.clock.advance(TTL_MIN * 60_000 - 5000);
    expect((await h.call('GET', '/api/conversations', { token })).status).toBe(200);
    h.clock.advance(10_000);
    const e = await errorOf(await h.call('GET', '/api/conversations', { token }));
    expect(e).toEqual({
      status: 401,
      code: 'CONSOLE.TOKEN_EXPIRED',
      message: 'the session has expired: log in again',
    });
  });

  it('sets the security headers on every response: API, errors, 404, health and docs', async () => {
    const token = await h.login();
    const responses = {
      ok: await h.call('GET', '/api/conversations', { token }),
      unauthorized: await h.call('GET', '/api/conversations'),
      notFound: await h.call('GET', '/api/nothing-here'),
      health: await h.call('GET', '/health/live'),
      docsJson: await h.call('GET', '/docs-json'),
      docs: await h.call('GET', '/docs'),
      webUi: await h.call('GET', '/'),
    };
    for (const [name, res] of Object.entries(responses)) {
      expect({ name, nosniff: res.headers.get('x-content-type-options') }).toEqual({
        name,
        nosniff: 'nosniff',
      });
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(responses.ok.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(responses.ok.headers.get('cache-control')).toBe('no-store');
    expect(responses.docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(responses.webUi.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });

  it('serves the OpenAPI document with every route, its auth and its error codes', async () => {
    const res = await h.call('GET', '/docs-json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, { description: string }> }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/login',
        'GET /api/conversations',
        'GET /api/conversations/{id}',
        'GET /api/conversations/{id}/context',
        'POST /api/conversations/{id}/messages',
        'POST /api/conversations/{id}/typing',
        'GET /api/customers/{id}/consents',
        'PUT /api/customers/{id}/consents',
      ]),
    );
    expect(doc.components.securitySchemes.agent).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/login']!.post!.security).toBeUndefined();
    for (const [method, path] of GUARDED) {
      const op = doc.paths[path.replace(/[0-9a-f-]{36}/, '{id}')]![method.toLowerCase()]!;
      expect(op.security).toEqual([{ agent: [] }]);
      expect(op.responses['401']!.description).toContain('CONSOLE.TOKEN_EXPIRED');
    }
    const reply = doc.paths['/api/conversations/{id}/messages']!.post!;
    expect(Object.keys(reply.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '503',
    ]);
    expect(reply.responses['409']!.description).toContain('CONSENT.REVOKED');
    expect(reply.responses['503']!.description).toContain('BUS.UNAVAILABLE');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'ConversationSummary',
        'MessageView',
        'ConversationTimeline',
        'CustomerContextV1',
        'ConversationEventV1',
        'ReplyRequest',
        'ErrorBody',
      ]),
    );
    const docs = await h.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
  });

  it('never logs a password or a token', async () => {
    const token = await h.login('bob');
    await h.call('POST', '/api/login', {
      body: { agentId: 'bob', password: 'a-wrong-password-123' },
    });
    const all = h.logs.join('\n');
    expect(all).toContain('login refused');
    for (const secret of [AGENTS.alice, AGENTS.bob, 'a-wrong-password-123', token, h.secret]) {
      expect(all).not.toContain(secret);
    }
  });

  describe('the og_session cookie, CSRF, /api/me and logout', () => {
    const cookieLogin = async () => {
      const res = await h.call('POST', '/api/login', {
        body: { agentId: 'bob', password: AGENTS.bob },
      });
      const body = (await res.json()) as { token: string; csrfToken: string };
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      return { cookie, csrf: body.csrfToken, token: body.token };
    };
    const typingPath = '/api/conversations/6f1c1b1e-4a8e-4b39-9b59-1f5d1c2a3b4c/typing';

    it('opens GET routes with the cookie alone, and /api/me tells who, role, queues and CSRF token', async () => {
      const { cookie, csrf } = await cookieLogin();
      expect(cookie).toMatch(/^og_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const list = await h.call('GET', '/api/conversations', { headers: { cookie } });
      expect(list.status).toBe(200);
      const me = await h.call('GET', '/api/me', { headers: { cookie: `theme=dark; ${cookie}` } });
      expect(me.status).toBe(200);
      const body = (await me.json()) as Record<string, unknown>;
      expect(body).toEqual({
        agentId: 'bob',
        displayName: 'bob',
        role: 'agent',
        queues: ['fraud', 'onboarding', 'disputes', 'general'],
        expiresAt: expect.any(String) as unknown,
        csrfToken: csrf,
      });
    });

    it('refuses a cookie-authenticated change without the CSRF header or with a wrong one (403)', async () => {
      const { cookie, csrf } = await cookieLogin();
      const none = await errorOf(
        await h.call('POST', typingPath, { headers: { cookie }, body: { state: 'start' } }),
      );
      expect(none).toEqual({
        status: 403,
        code: 'CONSOLE.CSRF_INVALID',
        message:
          'missing or wrong x-csrf-token header: send the csrfToken of POST /api/login or GET /api/me',
      });
      const other = await cookieLogin();
      h.clock.advance(1);
      const wrong = await errorOf(
        await h.call('POST', typingPath, {
          headers: { cookie, 'x-csrf-token': `${csrf.slice(0, -2)}xx` },
          body: { state: 'start' },
        }),
      );
      expect(wrong.code).toBe('CONSOLE.CSRF_INVALID');
      const ok = await h.call('POST', typingPath, {
        headers: { cookie, 'x-csrf-token': csrf },
        body: { state: 'start' },
      });
      expect(ok.status).toBe(204);
      // Another session's CSRF token does not fit this cookie (when the two tokens differ).
      if (other.token !== (cookie.split('=')[1] ?? '')) {
        const foreign = await h.call('POST', typingPath, {
          headers: { cookie, 'x-csrf-token': other.csrf },
          body: { state: 'start' },
        });
        expect(foreign.status).toBe(403);
      }
    });

    it('needs no CSRF header with a bearer token, and judges a request by its bearer token alone', async () => {
      const { token, cookie } = await cookieLogin();
      const ok = await h.call('POST', typingPath, { token, body: { state: 'stop' } });
      expect(ok.status).toBe(204);
      const badBearer = await errorOf(
        await h.call('GET', '/api/me', { headers: { cookie, authorization: 'Bearer nope' } }),
      );
      expect(badBearer.code).toBe('CONSOLE.TOKEN_INVALID');
    });

    it('expires the cookie session with the token (clock moved past the TTL)', async () => {
      const { cookie } = await cookieLogin();
      h.clock.advance(TTL_MIN * 60_000 + 1000);
      const e = await errorOf(await h.call('GET', '/api/me', { headers: { cookie } }));
      expect(e).toMatchObject({ status: 401, code: 'CONSOLE.TOKEN_EXPIRED' });
    });

    it('logs out by clearing the cookie', async () => {
      const res = await h.call('POST', '/api/logout');
      expect(res.status).toBe(204);
      expect(res.headers.get('set-cookie')).toBe(
        'og_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
      );
      const anon = await errorOf(await h.call('GET', '/api/me'));
      expect(anon).toMatchObject({ status: 401, code: 'CONSOLE.UNAUTHORIZED' });
    });

    it('reports which login methods exist (no OIDC configured here)', async () => {
      expect(await (await h.call('GET', '/api/auth/methods')).json()).toEqual({
        local: true,
        oidc: false,
      });
      const e = await errorOf(await h.call('GET', '/api/auth/oidc/start'));
      expect(e).toMatchObject({ status: 404, code: 'CONSOLE.OIDC_NOT_FOUND' });
    });
  });
});
