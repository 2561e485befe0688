/**
 * The system under bench: `npm start` on free ports (one process per app; PGlite in a process of
 * its own, or PostgreSQL with DATABASE_URL; BENCH_PGLITE=one-process: every app and PGlite in one
 * process, the old default), a console WebSocket that reports each message it shows, and the
 * statement counter of every process with a database on (libs/store BENCH_STATS).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { freePort, pollUntil } from '@omnigate/testing';

export type Encryption = 'off' | 'on';

/** Where the database runs and how the apps are placed. */
export type Setup = 'postgres' | 'pglite-server' | 'pglite-one-process';

/** DATABASE_URL: PostgreSQL; else what `npm start` runs, or the old single process on request. */
export function benchSetup(env: NodeJS.ProcessEnv = process.env): Setup {
  if (env.DATABASE_URL) return 'postgres';
  return env.BENCH_PGLITE === 'one-process' ? 'pglite-one-process' : 'pglite-server';
}

export const SETUP_LABELS: Record<Setup, string> = {
  postgres: 'PostgreSQL, one process per app',
  'pglite-server': 'embedded PGlite in its own process, one process per app (npm start)',
  'pglite-one-process': 'embedded PGlite, all apps in one process (npm start -- --one-process)',
};

export interface System {
  natsUrl: string;
  smsUrl: string;
  authToken: string;
  /** The launcher's pid: every app process and the nats-server are its descendants. */
  pid: number;
  setup: Setup;
  /** One process per app, or all in the launcher's (pglite-one-process). */
  separate: boolean;
  /** Where each process with a database writes its statement counts (libs/store BENCH_STATS). */
  statsDir: string;
  /** PostgreSQL only: the bench's database, whose backends' CPU the bench reads. */
  database: { url: string; name: string } | null;
  onEvent(cb: (text: string, at: number) => void): void;
  stop(): Promise<void>;
}

export interface SystemOptions {
  encryption: Encryption;
  /** Keep each statement in order with its caller (one message at a time, not for load). */
  traceStatements?: boolean;
}

/** With DATABASE_URL the run uses a fresh PostgreSQL database (dropped after); otherwise embedded PGlite. */
async function benchDatabase(): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
} | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const name = `og_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startSystem(opts: SystemOptions): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'og-bench-'));
  const statsDir = join(dataDir, 'stats');
  mkdirSync(statsDir);
  const database = await benchDatabase();
  const setup = benchSetup();
  const ports = {
    console: await freePort(),
    sms: await freePort(),
    inapp: await freePort(),
    router: await freePort(),
    sandbox: await freePort(),
    nats: await freePort(),
    telegram: await freePort(),
    whatsapp: await freePort(),
    email: await freePort(),
    emailSmtp: await freePort(),
    smtpSink: await freePort(),
    vault: await freePort(),
  };
  const child: ChildProcess = spawn(
    process.execPath,
    // One process per app, as npm start runs them; the old single process only when asked for.
    [
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the system's process, written when it stops.
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
        : []),
      join(__dirname, '..', 'tools', 'start.js'),
      ...(setup === 'pglite-one-process' ? ['--one-process'] : []),
    ],
    {
      env: {
        ...process.env,
        NATS_URL: '',
        DATABASE_URL: database?.url ?? '',
        NATS_PORT: String(ports.nats),
        PGLITE_PORT: String(await freePort()),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        CONSOLE_PORT: String(ports.console),
        SMS_GATEWAY_PORT: String(ports.sms),
        INAPP_GATEWAY_PORT: String(ports.inapp),
        ROUTER_PORT: String(ports.router),
        SANDBOX_PORT: String(ports.sandbox),
        TELEGRAM_GATEWAY_PORT: String(ports.telegram),
        WHATSAPP_GATEWAY_PORT: String(ports.whatsapp),
        EMAIL_GATEWAY_PORT: String(ports.email),
        EMAIL_SMTP_PORT: String(ports.emailSmtp),
        SANDBOX_SMTP_PORT: String(ports.smtpSink),
        VAULT_PORT: String(ports.vault),
        // Each app's management port is this base plus its offset (0-7): not the defaults, which
        // a developer's `npm start` may hold.
        MANAGEMENT_PORT_BASE: String(await freePortRun(8)),
        DEV_ENCRYPTION_AT_REST: opts.encryption,
        // Every bench request comes from 127.0.0.1: the per-source webhook rate limit would be
        // measured instead of the path.
        WEBHOOK_RATE_BURST: '100000',
        WEBHOOK_RATE_PER_MINUTE: '1000000',
        BENCH_STATS: statsDir,
        BENCH_STATS_TRACE: opts.traceStatements ? '1' : '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  const consoleUrl = `http://127.0.0.1:${ports.console}`;
  let secrets: { agentPassword: string; twilioAuthToken: string };
  let socket: Awaited<ReturnType<typeof consoleSocket>>;
  try {
    // Minutes, not seconds: on a loaded 2-core machine the whole system takes long to start.
    await pollUntil(async () => (await fetch(`${consoleUrl}/health`).catch(() => null))?.ok, {
      timeoutMs: 180_000,
      what: 'the system to start',
    });
    secrets = JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as typeof secrets;
    socket = await consoleSocket(consoleUrl, secrets.agentPassword);
  } catch (e) {
    await stopChild();
    throw e;
  }
  const listeners: Array<(text: string, at: number) => void> = [];
  socket.on('conversation.event', (e: { event: { kind: string; message?: { text: string } } }) => {
    const at = performance.now();
    if (e.event.kind === 'message.created' && e.event.message) {
      for (const l of listeners) l(e.event.message.text, at);
    }
  });
  return {
    natsUrl: `nats://127.0.0.1:${ports.nats}`,
    smsUrl: `http://127.0.0.1:${ports.sms}/webhooks/twilio/sms`,
    authToken: secrets.twilioAuthToken,
    pid: child.pid!,
    setup,
    separate: setup !== 'pglite-one-process',
    statsDir,
    database: database && { url: database.url, name: database.name },
    onEvent: (cb) => listeners.push(cb),
    stop: async () => {
      socket.close();
      await stopChild();
    },
  };
}

/** The first of `n` consecutive free ports. */
async function freePortRun(n: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: n }, (_, i) => canListen(base + i)));
    if (free.every(Boolean)) return base;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function consoleSocket(consoleUrl: string, password: string) {
  const login = await fetch(`${consoleUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId: 'alice', password }),
  });
  const { token } = (await login.json()) as { token: string };
  const socket = io(`${consoleUrl}/live`, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * The streams whose consumers carry a message's work: inbound, its replies, their statuses, and the
 * conversation events the journey projection reads (its statements are billed to the step too).
 */
const WORK_STREAMS = ['MSG_IN', 'MSG_OUT', 'MSG_STATUS', 'CONV_EVENTS'];

/**
 * Waits (up to a minute) until every consumer of the work streams has worked off every message,
 * whatever their names (one durable, or one per partition).
 */
export async function settle(sys: System): Promise<void> {
  const nc = await connect({ servers: sys.natsUrl, name: 'bench-settle' });
  try {
    const jsm = await nc.jetstreamManager();
    await pollUntil(
      async () => {
        for (const stream of WORK_STREAMS) {
          // A stream not created (yet) holds no work.
          const consumers = await jsm.consumers
            .list(stream)
            .next()
            .catch(() => []);
          if (consumers.some((c) => c.num_pending > 0 || c.num_ack_pending > 0)) return false;
        }
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the system to settle' },
    ).catch(() => console.log('  (the system had not settled after 60 s)'));
  } finally {
    await nc.close();
  }
}
