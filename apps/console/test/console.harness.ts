import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule } from '@omnigate/bus';
import type { RunningHttpApp } from '@omnigate/kit';
import { JsonLogger, KitModule, setLogSink } from '@omnigate/kit';
import { StoreModule } from '@omnigate/store';
import { createTestDatabase, startNatsServer } from '@omnigate/testing';
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
    ...db.env,
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
      StoreModule.forRoot(h.db.config),
    ],
  })
    .setLogger(new JsonLogger('router-double', 'warn'))
    .compile();
  await mod.init();
  return mod;
}
