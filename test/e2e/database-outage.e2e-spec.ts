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
import { inboundMsgId } from '@omnigate/contracts';
import { blindIndex } from '@omnigate/crypto';
import { openDatabase } from '@omnigate/store';
import {
  TcpFaultProxy,
  auditDelivery,
  consumerGroupProgress,
  createTestDatabase,
  databaseEnvAs,
  freePort,
  groupSettled,
  pollUntil,
  recordDatabaseSpec,
  startNatsServer,
} from '@omnigate/testing';
import type { SentMessage, StoredRow, TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { bootstrap as startSms } from '../../apps/gateway-sms/src/bootstrap';
import { DEV_OUR_NUMBER, appEnv, devEnv, loadDevSecrets } from '../../tools/dev-env';

/**
 * Issue 13 item 5 and issue 14 item 3: PostgreSQL goes away under SMS traffic (a TCP proxy between
 * the router and the server cuts every connection and refuses new ones), then comes back. Every
 * accepted message is stored exactly once and in its sender's order within its conversation, the
 * router never exits, and nothing is dead-lettered. OUTAGE_MS sets how long the database is away
 * (default 25 s, beyond the old ~22 s of backoff before a dead letter; the run used 300000).
 */
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 25_000);
/** Ten conversations, so several are in flight at the cut; 80 messages in all, as before. */
const SENDERS = 10;
/** Each sender's first two are stored before the cut, its third is in flight at the cut. */
const BEFORE = 3;
/** Then five more each, spread over the outage. */
const DURING = 5;
const PER_SENDER = BEFORE + DURING;
const TOTAL = SENDERS * PER_SENDER;
/** A refused webhook is sent again after this, with the same MessageSid (as Twilio does). */
const RETRY_MS = 200;
const ROOT = join(__dirname, '..', '..');
const onPostgres = Boolean(process.env.DATABASE_URL);
// The proxy needs a server to stand in front of: on PGlite this file only enrols in CI's
// PostgreSQL run (libs/testing's list), where it runs.
if (!onPostgres) recordDatabaseSpec();

/** The k-th SMS of sender c: its Twilio sid says who and which, for the order check. */
const sidOf = (c: number, k: number) =>
  `SM${(0xdb00 * 0x10000 + c).toString(16).padStart(12, '0')}${k.toString(16).padStart(20, '0')}`;
const smsOf = (c: number, k: number) => ({
  from: `+39348${String(1_000_000 + c).slice(-7)}`,
  to: DEV_OUR_NUMBER,
  body: `messaggio ${k}`,
  messageSid: sidOf(c, k),
});
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  /** Twilio's webhook, signed by the sandbox, to the SMS gateway: its answer (0: none). */
  const inject = async (c: number, k: number): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/sandbox/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(smsOf(c, k)),
    }).catch(() => null);
    if (!res?.ok) return 0;
    return ((await res.json()) as { status: number }).status;
  };

  let attempts = 0;
  let refused = 0;
  /** Sender c's k-th SMS until the gateway accepts it (200); a refusal is sent again. */
  const send = async (c: number, k: number) => {
    const giveUp = Date.now() + 30_000;
    for (;;) {
      attempts++;
      if ((await inject(c, k)) === 200) return;
      refused++;
      if (Date.now() > giveUp) throw new Error(`SMS ${k} of sender ${c} refused for 30 s`);
      await delay(RETRY_MS);
    }
  };
  /** Every sender sends its messages from..to-1, each once the previous one was accepted. */
  const sendEach = (from: number, to: number, paceMs = 0) =>
    Promise.all(
      Array.from({ length: SENDERS }, async (_, c) => {
        for (let k = from; k < to; k++) {
          await send(c, k);
          if (paceMs) await delay(paceMs);
        }
      }),
    );

  /** The inbound SMS stored (read straight from PostgreSQL, not through the proxy). */
  const storedRows = async (): Promise<StoredRow[]> => {
    const database = await openDatabase(db.config);
    try {
      return (
        (await database.db.execute(
          sql`SELECT conversation_id AS "conversationId", seq, dedupe_key AS key FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
        )) as { rows: StoredRow[] }
      ).rows;
    } finally {
      await database.close();
    }
  };

  it(
    'stores every accepted message once and in order; no process exits; nothing is dead-lettered',
    async () => {
      await sendEach(0, BEFORE - 1);
      await pollUntil(async () => groupSettled(await inboundProgress(), SENDERS * (BEFORE - 1)), {
        what: 'the first messages stored',
        timeoutMs: 30_000,
      });

      // Cut the database while a burst is being handled, so transactions are open at the cut.
      await sendEach(BEFORE - 1, BEFORE);
      await proxy.stop();
      const cutAt = Date.now();
      // Traffic goes on for the whole outage: the gateway keeps accepting and publishing.
      const during = sendEach(BEFORE, PER_SENDER, OUTAGE_MS / DURING);
      during.catch(() => undefined);
      const sawNotReady = await pollUntil(async () => (await health()) === 503, {
        what: 'readiness to say no',
      }).then(
        () => true,
        () => false,
      );
      await during;
      const remaining = OUTAGE_MS - (Date.now() - cutAt);
      if (remaining > 0) await delay(remaining);
      expect(routerExit).toBeNull();
      const { pending, ackPending, redelivered } = await inboundProgress();
      const heldAtEnd = { pending, ackPending, redelivered };

      await proxy.start();
      const backAt = Date.now();
      // The last message stored: every row there (a duplicate would only add rows).
      const rows = await pollUntil(
        async () => {
          const r = await storedRows();
          return r.length >= TOTAL ? r : null;
        },
        { what: 'every message stored', timeoutMs: 120_000, intervalMs: 200 },
      ).catch(storedRows);
      const storedMs = Date.now() - backAt;
      const drained = await pollUntil(
        async () => {
          const p = await inboundProgress();
          return groupSettled(p, TOTAL) ? p : null;
        },
        { what: 'every message acknowledged', timeoutMs: 30_000, intervalMs: 200 },
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

      // Which SMS each row is: its dedupe key is the blind index of `sms:<sid>` (sealed at rest).
      const indexKey = Buffer.from(env.DATA_INDEX_KEY!, 'base64');
      const sent: SentMessage[] = [];
      for (let c = 0; c < SENDERS; c++) {
        for (let n = 0; n < PER_SENDER; n++) {
          const key = blindIndex(indexKey, 'dedupe', inboundMsgId('sms', sidOf(c, n)));
          sent.push({ key, sender: c, n });
        }
      }
      const { lostBySender, ...audit } = auditDelivery(sent, rows);
      const jsm = await bus.get(NatsConnection).manager();
      const dlq = await jsm.streams.info(Streams.DLQ.name);
      // The figures of the run (the issue asks for them with OUTAGE_MS=300000).
      process.stdout.write(
        `database outage: ${JSON.stringify({
          outageMs: OUTAGE_MS,
          ...audit,
          ...(audit.lost ? { lostBySender } : {}),
          conversations: new Set(rows.map((r) => r.conversationId)).size,
          webhookAttempts: attempts,
          refusedAndRetried: refused,
          deadLetters: dlq.state.messages,
          routerExited: routerExit !== null,
          sawNotReady,
          heldAtEnd,
          redelivered: drained.redelivered,
          // Time to recover, from the moment PostgreSQL was reachable again.
          lastStoredMs: storedMs,
          drainMs,
          readyMs,
          proxyConnections: proxy.connections,
        })}\n`,
      );
      expect(audit).toEqual({
        sent: TOTAL,
        stored: TOTAL,
        lost: 0,
        duplicated: 0,
        unknown: 0,
        orderViolations: 0,
      });
      expect(dlq.state.messages).toBe(0);
      expect(routerExit).toBeNull();
      expect(sawNotReady).toBe(true);
      expect(heldAtEnd.redelivered).toBe(0);
      expect(drained.redelivered).toBe(0);
    },
    OUTAGE_MS + 240_000,
  );
});
