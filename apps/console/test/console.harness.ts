import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import type { RunningHttpApp } from '@omnigate/kit';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import { RouterStoreModule } from '@omnigate/store';
import {
  TestAuthenticator,
  createTestDatabase,
  databaseEnvAs,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap } from '../src/bootstrap';
import { Clock } from '../src/auth/clock.port';

/** Real time plus an offset the test moves forward (to pass a session's expiry without waiting). */
export class ShiftedClock extends Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export const AGENTS = { alice: 'alice-pw-8f2c91', bob: 'bob-password-77' } as const;
export const TTL_MIN = 30;

/**
 * The roles that need a TOTP code get a secret each (CONSOLE_AGENT_TOTP), unless the test set
 * CONSOLE_AGENT_TOTP itself: the harness is their authenticator app.
 */
function authenticatorFor(env: Record<string, string>): TestAuthenticator {
  if (env.CONSOLE_AGENT_TOTP !== undefined) {
    const pairs = env.CONSOLE_AGENT_TOTP.split(',').filter(Boolean);
    return new TestAuthenticator(new Map(pairs.map((p) => p.split(':') as [string, string])));
  }
  const privileged = (env.CONSOLE_ROLES ?? '')
    .split(',')
    .map((e) => e.trim().split(':'))
    .filter(([, role]) => role === 'supervisor' || role === 'admin' || role === 'dpo')
    .map(([id]) => id!);
  return TestAuthenticator.forAgents(privileged);
}

/** A login body gets the agent's current code when the harness holds its secret (`totp` unset). */
function withTotp(
  body: unknown,
  auth: TestAuthenticator,
  now: () => number,
  advance?: (ms: number) => void,
): unknown {
  if (typeof body !== 'object' || body === null || 'totp' in body) return body;
  const agentId = (body as { agentId?: unknown }).agentId;
  if (typeof agentId !== 'string' || !auth.has(agentId)) return body;
  return { ...body, totp: auth.code(agentId, now(), advance) };
}

export interface ConsoleHarness {
  nats: TestNatsServer;
  db: TestDatabase;
  app: RunningHttpApp;
  url: string;
  clock: ShiftedClock;
  secret: string;
  env: NodeJS.ProcessEnv;
  logs: string[];
  /** The TOTP secrets of the privileged test agents; login calls through `call` use them. */
  authenticator: TestAuthenticator;
  login(agentId?: keyof typeof AGENTS): Promise<string>;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** Real nats-server, a fresh database and the console via bootstrap(env) on a random port. */
export async function startConsole(extraEnv: Record<string, string> = {}): Promise<ConsoleHarness> {
  const logs: string[] = [];
  const prevSink = setLogSink((line) => logs.push(line));
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const clock = new ShiftedClock();
  const secret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    NATS_URL: nats.url,
    // On PostgreSQL the console logs in as omnigate_console: its read grants must be enough.
    ...databaseEnvAs(db, 'console'),
    CONSOLE_PORT: '0',
    LOG_LEVEL: 'log',
    CONSOLE_AGENTS: Object.entries(AGENTS)
      .map(([id, pw]) => `${id}:${pw}`)
      .join(','),
    CONSOLE_SESSION_SECRET: secret,
    CONSOLE_SESSION_TTL_MIN: String(TTL_MIN),
    ...extraEnv,
  };
  const authenticator = authenticatorFor(extraEnv);
  if (authenticator.secrets.size) env.CONSOLE_AGENT_TOTP = authenticator.env;
  const app = await bootstrap(env, { clock });
  const call: ConsoleHarness['call'] = (method, path, opts = {}) => {
    if (method === 'POST' && path === '/api/login') {
      opts = {
        ...opts,
        body: withTotp(
          opts.body,
          authenticator,
          () => clock.now(),
          (ms) => clock.advance(ms),
        ),
      };
    }
    return fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body:
        opts.body === undefined
          ? undefined
          : typeof opts.body === 'string'
            ? opts.body
            : JSON.stringify(opts.body),
    });
  };
  const login = async (agentId: keyof typeof AGENTS = 'alice'): Promise<string> => {
    const res = await call('POST', '/api/login', { body: { agentId, password: AGENTS[agentId] } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  return {
    nats,
    db,
    app,
    url: app.url,
    clock,
    secret,
    env,
    logs,
    authenticator,
    login,
    call,
    stop: async () => {
      await app.close();
      await db.cleanup();
      await nats.dispose();
      setLogSink(prevSink);
    },
  };
}

export async function errorOf(
  res: Response,
): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

/**
 * A Nest module on the console's bus and database, for a test to play the router (serve its RPCs)
 * and to seed or read the store.
 */
export async function startRouterDouble(h: ConsoleHarness): Promise<TestingModule> {
  const mod = await Test.createTestingModule({
    imports: [
      KitModule,
      BusModule.forRoot({ url: h.nats.url, name: 'router-double' }),
      RouterStoreModule.forRoot(h.db.config),
    ],
  })
    .setLogger(new JsonLogger('router-double', 'warn'))
    .compile();
  await mod.init();
  return mod;
}

/** The console beside a real router (tests of what the router carries out for the console). */
export interface ConsoleBeside {
  app: RunningHttpApp;
  login(agentId: string): Promise<string>;
  call(token: string, method: string, path: string, body?: unknown): Promise<Response>;
}

/**
 * Boots the console on a router system's NATS and database (on PostgreSQL logged in as
 * omnigate_console), with these agents (`id → password`) and extra env (roles, keys).
 */
export async function startConsoleBeside(
  peer: { nats: TestNatsServer; db: TestDatabase },
  agents: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<ConsoleBeside> {
  const authenticator = authenticatorFor(extraEnv);
  const app = await bootstrap({
    NATS_URL: peer.nats.url,
    ...databaseEnvAs(peer.db, 'console'),
    CONSOLE_PORT: '0',
    LOG_LEVEL: 'warn',
    CONSOLE_AGENTS: Object.entries(agents)
      .map(([id, pw]) => `${id}:${pw}`)
      .join(','),
    CONSOLE_SESSION_SECRET: randomBytes(32).toString('hex'),
    ...extraEnv,
    ...(authenticator.secrets.size ? { CONSOLE_AGENT_TOTP: authenticator.env } : {}),
  });
  const call: ConsoleBeside['call'] = (token, method, path, body) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const login = async (agentId: string) => {
    const res = await fetch(`${app.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        withTotp({ agentId, password: agents[agentId] }, authenticator, () => Date.now()),
      ),
    });
    return ((await res.json()) as { token: string }).token;
  };
  return { app, login, call };
}
