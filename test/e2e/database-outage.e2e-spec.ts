import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { BusModule, NatsConnection, Streams } from '@omnigate/bus';
import { KitModule } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { openDatabase } from '@omnigate/store';
import {
  TcpFaultProxy,
  consumerGroupProgress,
  createTestDatabase,
  databaseEnvAs,
  freePort,
  groupSettled,
  pollUntil,
  recordDatabaseSpec,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { bootstrap as startSms } from '../../apps/gateway-sms/src/bootstrap';
import { DEV_OUR_NUMBER, appEnv, devEnv, loadDevSecrets } from '../../tools/dev-env';

/**
 * Issue 13 item 5: PostgreSQL goes away under SMS traffic (a TCP proxy between the router and the
 * server cuts every connection and refuses new ones), then comes back. Every accepted message is
 * stored exactly once, the router never exits, and nothing is dead-lettered. OUTAGE_MS sets how
 * long the database is away (default 25 s, beyond the old ~22 s of backoff before a dead letter;
 * the run used 300000).
 */
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 25_000);
const BEFORE = 20;
const DURING = 60;
const ROOT = join(__dirname, '..', '..');
const onPostgres = Boolean(process.env.DATABASE_URL);
// The proxy needs a server to stand in front of: on PGlite this file only enrols in CI's
// PostgreSQL run (libs/testing's list), where it runs.
if (!onPostgres) recordDatabaseSpec();

/** The i-th customer SMS: 30 senders, so several conversations are in flight at the cut. */
const smsOf = (i: number) => ({
  from: `+39348${String(1_000_000 + (i % 30)).slice(-7)}`,
  to: DEV_OUR_NUMBER,
  body: `messaggio ${i}`,
  messageSid: `SM${(0xdb0000 + i).toString(16).padStart(32, '0')}`,
});

(onPostgres ? describe : describe.skip)('PostgreSQL down under traffic, then back', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let proxy: TcpFaultProxy;
  let sandbox: RunningHttpApp;
  let sms: RunningHttpApp;
  let bus: TestingModule;
  let router: ChildProcess | null = null;
  let routerExit: { code: number | null; signal: string | null } | null = null;
  let env: NodeJS.ProcessEnv;
  const secretsDir = mkdtempSync(join(tmpdir(), 'og-outage-'));

  /** The router's inbound partitions together (a durable each: no single ack floor). */
  const inboundProgress = () => consumerGroupProgress(nats.url, 'MSG_IN', 'router-inbound');
  const health = async (): Promise<number> =>
    (await fetch(`http://127.0.0.1:${env.ROUTER_PORT}/health`).catch(() => null))?.status ?? 0;

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    const target = new URL(db.env.DATABASE_URL!);
    proxy = await TcpFaultProxy.start(
      { host: target.hostname, port: Number(target.port || 5432) },
      await freePort(),
    );
    const asRouter = databaseEnvAs(db, 'router');
    env = devEnv({
      natsUrl: nats.url,
      dataEnv: { ...asRouter, DATABASE_URL: proxy.rewrite(asRouter.DATABASE_URL!) },
      secrets: await loadDevSecrets(secretsDir),
      ports: {
        console: 0,
        sms: await freePort(),
        inapp: 0,
        router: await freePort(),
        sandbox: await freePort(),
        whatsapp: 0,
        telegram: 0,
        // The sandbox's SMTP sink: never the default port, which `npm start` may hold.
        smtpSink: await freePort(),
      },
      // A short ack_wait: messages held through the outage must be kept alive, not redelivered.
      base: {
        LOG_LEVEL: 'warn',
        ROUTER_ACK_WAIT_MS: '3000',
        ROUTER_INBOUND_BACKOFF_MS: '250,1000,3000',
      },
    });
    sandbox = await startSandbox(env);
    // The SMS gateway holds no database: it answers Twilio whatever PostgreSQL is doing.
    sms = await startSms(appEnv('gateway-sms', env));
    bus = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: nats.url, name: 'outage-test' })],
    }).compile();
    await bus.init();
    router = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps', 'router', 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    router.once('exit', (code, signal) => (routerExit = { code, signal }));
    await pollUntil(async () => (await health()) === 200, {
      what: 'the router to be ready',
      timeoutMs: 150_000,
    });
  }, 240_000);
  afterAll(async () => {
    router?.kill('SIGKILL');
    await bus?.close();
    await sms?.close();
    await sandbox?.close();
    await proxy?.stop();
    await db?.cleanup();
    await nats?.dispose();
    rmSync(secretsDir, { recursive: true, force: true });
  });

  /** Twilio's webhook, signed by the sandbox, to the SMS gateway: 200 means accepted. */
  const publish = async (i: number) => {
    const res = await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/sandbox/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(smsOf(i)),
    });
    expect(res.status).toBe(200);
    // What the gateway answered Twilio.
    expect(((await res.json()) as { status: number }).status).toBe(200);
  };

  it(
    'stores every accepted message exactly once; no process exits; nothing is dead-lettered',
    async () => {
      for (let i = 0; i < BEFORE; i++) await publish(i);
      await pollUntil(async () => groupSettled(await inboundProgress(), BEFORE), {
        what: 'the first messages stored',
        timeoutMs: 30_000,
      });

      // Cut the database while a burst is being handled, so transactions are open at the cut.
      const burst = Array.from({ length: 10 }, (_, k) => publish(BEFORE + k));
      await Promise.all(burst);
      await proxy.stop();
      const cutAt = Date.now();
      let sawNotReady = false;
      // Traffic goes on for the whole outage: the gateway keeps accepting and publishing.
      for (let i = BEFORE + 10; i < BEFORE + DURING; i++) {
        await publish(i);
        if (!sawNotReady) sawNotReady = (await health()) === 503;
        await new Promise((r) => setTimeout(r, OUTAGE_MS / (DURING - 10)));
      }
      await pollUntil(async () => (await health()) === 503, { what: 'readiness to say no' });
      sawNotReady = true;
      const remaining = OUTAGE_MS - (Date.now() - cutAt);
      if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
      expect(routerExit).toBeNull();
      const { pending, ackPending } = await inboundProgress();
      const heldAtEnd = { pending, ackPending };

      await proxy.start();
      const backAt = Date.now();
      const total = BEFORE + DURING;
      const drained = await pollUntil(
        async () => {
          const p = await inboundProgress();
          return groupSettled(p, total) ? p : null;
        },
        { what: 'every message acknowledged', timeoutMs: 120_000, intervalMs: 200 },
      );
      const drainMs = Date.now() - backAt;
      await pollUntil(async () => (await health()) === 200, {
        what: 'ready again',
        // A consumer that waited tries again within OUTAGE_WAIT_CAP_MS (5 s ±20 %).
        timeoutMs: 30_000,
      }).catch(async (e: unknown) => {
        const body = await fetch(`http://127.0.0.1:${env.ROUTER_PORT}/health`).then((r) =>
          r.text(),
        );
        throw new Error(`${String(e)}; /health says ${body}`);
      });
      const readyMs = Date.now() - backAt;

      const jsm = await bus.get(NatsConnection).manager();
      const dlq = await jsm.streams.info(Streams.DLQ.name);
      const database = await openDatabase(db.config);
      let stored: { n: number; distinct_ids: number };
      try {
        const res = await database.db.execute(
          sql`SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS distinct_ids FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
        );
        stored = (res as { rows: Array<{ n: number; distinct_ids: number }> }).rows[0]!;
      } finally {
        await database.close();
      }
      // The figures of the run (the issue asks for them with OUTAGE_MS=300000).
      process.stdout.write(
        `${JSON.stringify({
          outageMs: OUTAGE_MS,
          accepted: total,
          stored: stored.n,
          duplicates: stored.n - stored.distinct_ids,
          deadLetters: dlq.state.messages,
          routerExited: routerExit !== null,
          sawNotReady,
          heldAtEnd,
          redelivered: drained.redelivered,
          drainMs,
          readyMs,
          proxyConnections: proxy.connections,
        })}\n`,
      );
      expect(stored).toEqual({ n: total, distinct_ids: total });
      expect(dlq.state.messages).toBe(0);
      expect(routerExit).toBeNull();
      expect(sawNotReady).toBe(true);
    },
    OUTAGE_MS + 240_000,
  );
});
