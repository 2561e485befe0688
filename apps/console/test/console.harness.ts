import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import type { RunningHttpApp } from '@omnigate/kit';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import { RouterStoreModule } from '@omnigate/store';
import { createTestDatabase, databaseEnvAs, startNatsServer } from '@omnigate/testing';
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

export interface ConsoleHarness {
  nats: TestNatsServer;
  db: TestDatabase;
  app: RunningHttpApp;
  url: string;
  clock: ShiftedClock;
  secret: string;
  env: NodeJS.ProcessEnv;
  logs: string[];
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
  const app = await bootstrap(env, { clock });
  const call: ConsoleHarness['call'] = (method, path, opts = {}) =>
    fetch(`${app.url}${path}`, {
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
      body: JSON.stringify({ agentId, password: agents[agentId] }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  return { app, login, call };
}
