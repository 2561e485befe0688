import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { newTotpSecret, totpCode } from '@omnigate/crypto';
import { KitModule } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { ConsoleStoreModule, ConsoleTotpRepository } from '@omnigate/store';
import { dumpDatabase, metricsUrl } from '@omnigate/testing';
import { bootstrap } from '../src/bootstrap';
import { errorOf, startConsole } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const PW = {
  alice: 'alice-pw-8f2c91',
  bob: 'bob-password-77',
  sam: 'sam-super-4411',
  ada: 'ada-admin-9d2e',
} as const;
type Person = keyof typeof PW;

const ACCOUNT_MAX = 3;
const ADDRESS_MAX = 6;
const LOCKOUT_MIN = 15;

/** Issue 13 item 7: console accounts under attack (guessing, floods, stolen sessions). */
describe('console accounts: lockout, TOTP, revocable sessions, argon2 cap', () => {
  let h: ConsoleHarness;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: Object.entries(PW)
        .map(([id, pw]) => `${id}:${pw}`)
        .join(','),
      CONSOLE_ROLES: 'sam:supervisor,ada:admin',
      CONSOLE_LOGIN_ACCOUNT_MAX_FAILURES: String(ACCOUNT_MAX),
      CONSOLE_LOGIN_ADDRESS_MAX_FAILURES: String(ADDRESS_MAX),
      CONSOLE_LOGIN_WINDOW_MIN: '15',
      CONSOLE_LOGIN_LOCKOUT_MIN: String(LOCKOUT_MIN),
    });
  });
  // Every test starts with no lock in force: the clock moves past any lockout and window.
  afterEach(() => {
    h.clock.advance((LOCKOUT_MIN + 16) * 60_000);
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const attempt = (agentId: string, password: string, headers: Record<string, string> = {}) =>
    h.call('POST', '/api/login', { body: { agentId, password }, headers });
  const login = async (who: Person): Promise<string> => {
    const res = await attempt(who, PW[who]);
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  };
  const auditOf = async (query: string) => {
    const res = await h.call('GET', `/api/audit?${query}`, { token: await login('ada') });
    expect(res.status).toBe(200);
    return (
      (await res.json()) as {
        entries: Array<{
          actor: string;
          action: string;
          subject: string;
          detail: Record<string, unknown>;
        }>;
      }
    ).entries;
  };

  describe('password guessing', () => {
    it('locks the account after too many wrong passwords: 429 CONSOLE.LOGIN_LOCKED with Retry-After, even for the right password', async () => {
      for (let i = 1; i < ACCOUNT_MAX; i++) {
        expect((await attempt('bob', `guess-${i}`)).status).toBe(401);
      }
      const locking = await attempt('bob', 'guess-last');
      expect(locking.status).toBe(429);
      const right = await attempt('bob', PW.bob);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(LOCKOUT_MIN * 60 - 5);
      const locked = await errorOf(right);
      expect(locked.code).toBe('CONSOLE.LOGIN_LOCKED');
      expect(locked.message).toContain('for this account');
      // Another account from the same address is not locked by bob's (below the address limit).
      expect((await attempt('alice', PW.alice)).status).toBe(200);
      // The lockout ends by itself.
      h.clock.advance(LOCKOUT_MIN * 60_000 + 1000);
      expect((await attempt('bob', PW.bob)).status).toBe(200);
      const metrics = await (await fetch(`${metricsUrl(h.app)}/metrics`)).text();
      expect(metrics).toMatch(/omnigate_console_login_lockouts_total\{scope="account"\} [1-9]/);
    });

    it('locks the address that sprays passwords over many accounts (unknown ids included)', async () => {
      const ids = ['nobody1', 'nobody2', 'alice', 'nobody3', 'bob', 'nobody4'];
      const statuses: number[] = [];
      for (const id of ids) statuses.push((await attempt(id, 'Winter2026!')).status);
      expect(statuses.slice(0, ADDRESS_MAX - 1)).toEqual(Array(ADDRESS_MAX - 1).fill(401));
      expect(statuses[ADDRESS_MAX - 1]).toBe(429);
      const e = await errorOf(await attempt('sam', PW.sam));
      expect(e).toMatchObject({ status: 429, code: 'CONSOLE.LOGIN_LOCKED' });
      expect(e.message).toContain('from this address');
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy: rotating it buys no guesses', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < ADDRESS_MAX + 2; i++) {
        const spoofed = { 'x-forwarded-for': `198.51.100.${i + 1}` };
        statuses.push((await attempt(`stranger${i}`, 'guess', spoofed)).status);
      }
      expect(statuses.slice(ADDRESS_MAX - 1)).toEqual([429, 429, 429]);
    });

    it('records refused and accepted logins and the lockout in the audit log (no typed id that is not an account)', async () => {
      await attempt('bob', 'wrong-one');
      await attempt('hunter2-typed-as-id', 'x');
      await login('bob');
      const entries = await auditOf('action=auth.login&limit=20');
      expect(
        entries.find((e) => e.actor === 'bob' && e.detail['outcome'] === 'denied'),
      ).toMatchObject({
        subject: 'bob',
        detail: { code: 'CONSOLE.UNAUTHORIZED', ip: '127.0.0.1', role: 'agent' },
      });
      expect(entries.find((e) => e.actor === 'bob' && e.detail['outcome'] === 'ok')).toMatchObject({
        detail: { via: 'local' },
      });
      expect(JSON.stringify(entries)).not.toContain('hunter2-typed-as-id');
      expect(entries.some((e) => e.subject === '(unknown account)')).toBe(true);
    });
  });

  describe('second factor', () => {
    const raw = (body: unknown) =>
      fetch(`${h.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('refuses a supervisor and an admin with the right password but no TOTP code', async () => {
      for (const who of ['sam', 'ada'] as const) {
        const e = await errorOf(await raw({ agentId: who, password: PW[who] }));
        expect(e).toMatchObject({ status: 401, code: 'CONSOLE.TOTP_REQUIRED' });
      }
      // An agent needs none.
      expect((await raw({ agentId: 'alice', password: PW.alice })).status).toBe(200);
    });

    it('refuses a wrong code and a replayed one; wrong codes count towards the lockout', async () => {
      const code = h.authenticator.code('sam', h.clock.now(), (ms) => h.clock.advance(ms));
      expect((await raw({ agentId: 'sam', password: PW.sam, totp: code })).status).toBe(200);
      const replay = await errorOf(await raw({ agentId: 'sam', password: PW.sam, totp: code }));
      expect(replay).toMatchObject({ status: 401, code: 'CONSOLE.TOTP_INVALID' });
      const wrong = await errorOf(await raw({ agentId: 'sam', password: PW.sam, totp: '000000' }));
      expect(wrong).toMatchObject({ status: 401, code: 'CONSOLE.TOTP_INVALID' });
      // The third failure (replay, wrong, this one) locks the account.
      const third = await raw({ agentId: 'sam', password: PW.sam, totp: '123456' });
      expect(third.status).toBe(429);
    });
  });

  describe('server-side sessions', () => {
    const open = (token: string): Socket => {
      const s = io(`${h.url}/live`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      return s;
    };
    const connected = (s: Socket) =>
      new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
    const refusal = (s: Socket) =>
      new Promise<string>((resolve) => s.once('connect_error', (e) => resolve(e.message)));

    it('ends a logged-out session everywhere: bearer copies, the open socket and a new socket get 401 CONSOLE.SESSION_REVOKED', async () => {
      const token = await login('bob');
      const socket = open(token);
      await connected(socket);
      const ended = new Promise<{ code: string }>((resolve) =>
        socket.once('session.expired', resolve),
      );
      const out = await h.call('POST', '/api/logout', { token });
      expect(out.status).toBe(204);
      expect(await ended).toEqual({ code: 'CONSOLE.SESSION_REVOKED' });
      const e = await errorOf(await h.call('GET', '/api/me', { token }));
      expect(e).toMatchObject({ status: 401, code: 'CONSOLE.SESSION_REVOKED' });
      expect(await refusal(open(token))).toBe('CONSOLE.SESSION_REVOKED');
      const entries = await auditOf('action=auth.logout&limit=5');
      expect(entries[0]).toMatchObject({ actor: 'bob', subject: 'bob' });
    });

    it("lets an admin revoke an agent's sessions (audited); not an agent", async () => {
      const bob1 = await login('bob');
      const bob2 = await login('bob');
      const alice = await login('alice');
      const denied = await errorOf(
        await h.call('POST', '/api/agents/bob/sessions/revoke', { token: alice }),
      );
      expect(denied).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
      const ada = await login('ada');
      const res = await h.call('POST', '/api/agents/bob/sessions/revoke', { token: ada });
      expect(await res.json()).toEqual({ agentId: 'bob', revoked: 2 });
      for (const t of [bob1, bob2]) {
        expect((await errorOf(await h.call('GET', '/api/me', { token: t }))).code).toBe(
          'CONSOLE.SESSION_REVOKED',
        );
      }
      expect((await h.call('GET', '/api/me', { token: alice })).status).toBe(200);
      const [entry] = await auditOf('action=auth.sessions.revoke&limit=1');
      expect(entry).toMatchObject({ actor: 'ada', subject: 'bob', detail: { outcome: 'ok' } });
    });

    it('ends the sessions of an account whose role changed (a console restarted with the new role)', async () => {
      const token = await login('bob');
      let changed: RunningHttpApp | undefined;
      try {
        changed = await bootstrap(
          { ...h.env, CONSOLE_ROLES: 'sam:supervisor,ada:admin,bob:supervisor' },
          { clock: h.clock },
        );
        const res = await fetch(`${changed.url}/api/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(await errorOf(res)).toMatchObject({ status: 401, code: 'CONSOLE.SESSION_REVOKED' });
      } finally {
        await changed?.close();
      }
      // Revoked in the shared table: the first console refuses it too.
      expect((await errorOf(await h.call('GET', '/api/me', { token }))).code).toBe(
        'CONSOLE.SESSION_REVOKED',
      );
    });
  });
});

describe('console accounts: argon2 flood', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_ARGON2_CONCURRENCY: '1',
      CONSOLE_ARGON2_QUEUE: '1',
      CONSOLE_LOGIN_ACCOUNT_MAX_FAILURES: '1000',
      CONSOLE_LOGIN_ADDRESS_MAX_FAILURES: '1000',
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses password checks beyond the cap with 503 CONSOLE.LOGIN_UNAVAILABLE and Retry-After, and keeps serving', async () => {
    const flood = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        h.call('POST', '/api/login', { body: { agentId: `x${i}`, password: 'not-the-password' } }),
      ),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    const busy = flood.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.headers.get('retry-after')).toBe('1');
    expect((await errorOf(busy[0]!)).code).toBe('CONSOLE.LOGIN_UNAVAILABLE');
    expect(await h.login('alice')).toEqual(expect.any(String));
    const metrics = await (await fetch(`${metricsUrl(h.app)}/metrics`)).text();
    expect(metrics).toMatch(/omnigate_console_argon2_refused_total [1-9]/);
  });
});

describe('console accounts: behind a trusted proxy', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    // The test's connections come from 127.0.0.1: here that is the load balancer.
    h = await startConsole({
      TRUSTED_PROXIES: '127.0.0.1',
      CONSOLE_LOGIN_ACCOUNT_MAX_FAILURES: '3',
      CONSOLE_LOGIN_ADDRESS_MAX_FAILURES: '3',
    });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const from = (ip: string, agentId: string, password: string) =>
    h.call('POST', '/api/login', {
      body: { agentId, password },
      headers: { 'x-forwarded-for': ip },
    });

  it('locks an account guessed from many addresses, while other clients behind the proxy keep logging in', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      statuses.push((await from(`203.0.113.${i}`, 'bob', 'guess')).status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
    // Each address failed once only: alice behind the same proxy is not locked out.
    expect((await from('203.0.113.1', 'alice', 'alice-pw-8f2c91')).status).toBe(200);
    const e = await errorOf(await from('198.51.100.9', 'bob', 'bob-password-77'));
    expect(e).toMatchObject({ status: 429, code: 'CONSOLE.LOGIN_LOCKED' });
  });
});

describe('console accounts: a TOTP secret enrolled in the database', () => {
  const KEKS = `k1:${randomBytes(32).toString('base64')}`;
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: `sam:${PW.sam}`,
      CONSOLE_ROLES: 'sam:supervisor',
      // No development secret: sam's comes from the database (npm run console:account -- totp).
      CONSOLE_AGENT_TOTP: '',
      DATA_KEKS: KEKS,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const login = (totp?: string) =>
    h.call('POST', '/api/login', {
      body: { agentId: 'sam', password: PW.sam, ...(totp !== undefined && { totp }) },
    });

  it('refuses a supervisor with no second factor enrolled; once enrolled, the secret is sealed at rest and each code works once', async () => {
    const none = await errorOf(await login());
    expect(none).toMatchObject({ status: 401, code: 'CONSOLE.TOTP_REQUIRED' });
    expect(none.message).toContain('none is enrolled');
    const secret = newTotpSecret();
    const store = await Test.createTestingModule({
      imports: [
        KitModule,
        ConsoleStoreModule.forRoot({ ...h.db.config, protection: { keks: KEKS } }),
      ],
    }).compile();
    try {
      await store.get(ConsoleTotpRepository).enroll('sam', secret, new Date());
    } finally {
      await store.close();
    }
    const dump = await dumpDatabase(h.db.config);
    expect(dump).toMatch(/console_totp: \[\{"agent_id":"sam","secret":"kek:k1:/);
    expect(dump).not.toContain(secret);
    const code = totpCode(secret, h.clock.now());
    expect((await login(code)).status).toBe(200);
    expect(await errorOf(await login(code))).toMatchObject({ code: 'CONSOLE.TOTP_INVALID' });
  });
});
