import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { inboundMsgId, inboundOrderKey, partitionOf } from '@omnigate/contracts';
import { blindIndex } from '@omnigate/crypto';
import type { RunningHttpApp } from '@omnigate/kit';
import { openDatabase } from '@omnigate/store';
import {
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
 * Issue 14 item 3: two router instances share the inbound partitions; one is killed with -9
 * while SMS traffic flows through the real path (Twilio's signed webhook from the sandbox, the
 * SMS gateway, NATS). The other takes its partitions over about one lease term later; every
 * accepted message is stored once, in its sender's order. The killed router then comes back,
 * takes its share again and handles new messages.
 */
const ROOT = join(__dirname, '..', '..');
// Two processes share one database: embedded PGlite belongs to one process, so this file runs in
// CI's PostgreSQL run (libs/testing's list) and is skipped on PGlite.
const onPostgres = Boolean(process.env.DATABASE_URL);
if (!onPostgres) recordDatabaseSpec();

const LEASE_MS = 2000;
/** One sender per partition, so that each router has some of them whatever the split. */
const SENDERS = 16;
const PER_SENDER = 15;
/** Per sender, once the killed router is back. */
const AFTER_RESTART = 2;
const TOTAL = SENDERS * PER_SENDER;

/** A phone number on each partition: the sender's partition is FNV-1a of `sms:<number>`. */
function sendersByPartition(): string[] {
  const out: string[] = new Array<string>(SENDERS);
  for (let i = 0, found = 0; found < SENDERS; i++) {
    const phone = `+39349${String(3_000_000 + i).slice(-7)}`;
    const p = partitionOf(inboundOrderKey({ channel: 'sms', from: { address: phone } }));
    if (out[p] === undefined) {
      out[p] = phone;
      found++;
    }
  }
  return out;
}
const PHONES = sendersByPartition();
const sidOf = (c: number, k: number) =>
  `SM${(0xc7a5000 + c * 100 + k).toString(16).padStart(32, '0')}`;

interface Row {
  conversationId: string;
  seq: number;
  key: string;
}

/**
 * Lost, duplicated and out-of-order messages among the stored rows: in each conversation (rows by
 * seq) one sender only, whose message numbers only go up.
 */
function auditStored(sent: Array<{ key: string; sender: number; n: number }>, rows: Row[]) {
  const byKey = new Map(sent.map((m) => [m.key, m]));
  const ordered = [...rows].sort(
    (x, y) => x.conversationId.localeCompare(y.conversationId) || x.seq - y.seq,
  );
  const seen = new Set<string>();
  let [duplicated, unknown, orderViolations] = [0, 0, 0];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const msg = byKey.get(row.key);
    if (!msg) unknown++;
    else if (seen.has(row.key)) duplicated++;
    seen.add(row.key);
    const prev = ordered[i - 1];
    const before = prev && byKey.get(prev.key);
    if (msg && before && prev.conversationId === row.conversationId) {
      if (before.sender !== msg.sender || before.n >= msg.n) orderViolations++;
    }
  }
  const lost = sent.filter((m) => !seen.has(m.key)).length;
  const conversations = new Set(rows.map((r) => r.conversationId)).size;
  return { stored: rows.length, lost, duplicated, unknown, orderViolations, conversations };
}

interface Router {
  child: ChildProcess;
  port: number;
  management: number;
  exited: Promise<void>;
}

(onPostgres ? describe : describe.skip)('router instances, one killed -9 under load', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let sandbox: RunningHttpApp;
  let sms: RunningHttpApp;
  let env: NodeJS.ProcessEnv;
  const routers: Router[] = [];
  const secretsDir = mkdtempSync(join(tmpdir(), 'og-crash-'));

  const startRouter = async (): Promise<Router> => {
    const [port, management] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps', 'router', 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          ROUTER_PORT: String(port),
          MANAGEMENT_PORT: String(management),
          NODE_OPTIONS: '',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const router = { child, port, management, exited };
    routers.push(router);
    return router;
  };
  const ready = (r: Router) =>
    pollUntil(
      async () => (await fetch(`http://127.0.0.1:${r.port}/health`).catch(() => null))?.ok,
      // A loaded CI machine may take a while to compile and start a router: wait long.
      { what: 'a router process to be ready', timeoutMs: 90_000 },
    );
  /** One sample of a router's metrics (its management port): partitions held, messages handled. */
  const metricsOf = async (r: Router): Promise<{ held: number; acked: number }> => {
    const res = await fetch(`http://127.0.0.1:${r.management}/metrics`).catch(() => null);
    const text = res?.ok ? await res.text() : '';
    const value = (prefix: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(prefix))
          ?.split(' ')[1] ?? 0,
      );
    return {
      held: value('omnigate_bus_partitions_held{consumer="router-inbound"}'),
      acked: value('omnigate_bus_consumed_total{consumer="router-inbound",outcome="ack"}'),
    };
  };
  const progress = () => consumerGroupProgress(nats.url, 'MSG_IN', 'router-inbound');

  /** Twilio's signed webhook through the sandbox; what the SMS gateway answered. */
  const inject = async (c: number, k: number): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/sandbox/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: PHONES[c],
        to: DEV_OUR_NUMBER,
        body: `messaggio ${k}`,
        messageSid: sidOf(c, k),
      }),
    });
    return ((await res.json()) as { status: number }).status;
  };
  /** Each sender sends its next message once the previous one was accepted: one right order. */
  const sendAll = (from: number, to: number): Promise<number[]> =>
    Promise.all(
      Array.from({ length: SENDERS }, async (_, c) => {
        for (let k = from; k < to; k++) {
          const status = await inject(c, k);
          if (status !== 200) throw new Error(`sender ${c} message ${k}: gateway said ${status}`);
        }
        return to - from;
      }),
    );

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    env = devEnv({
      natsUrl: nats.url,
      dataEnv: databaseEnvAs(db, 'router'),
      secrets: await loadDevSecrets(secretsDir),
      ports: {
        console: 0,
        sms: await freePort(),
        inapp: 0,
        router: 0,
        sandbox: await freePort(),
        whatsapp: 0,
        telegram: 0,
        // The sandbox's SMTP sink: never the default port, which `npm start` may hold.
        smtpSink: await freePort(),
      },
      base: {
        LOG_LEVEL: 'warn',
        ROUTER_PARTITION_LEASE_MS: String(LEASE_MS),
        ROUTER_ACK_WAIT_MS: '5000',
        // Every webhook comes from the sandbox's one IP here (Twilio's come from many): the
        // per-IP limit (burst 200) would refuse a fast run's 272 with 429.
        WEBHOOK_RATE_BURST: '5000',
        WEBHOOK_RATE_PER_MINUTE: '100000',
      },
    });
    sandbox = await startSandbox(env);
    sms = await startSms(appEnv('gateway-sms', env));
  }, 60_000);
  afterAll(async () => {
    for (const r of routers) r.child.kill('SIGKILL');
    await sms?.close();
    await sandbox?.close();
    await db?.cleanup();
    await nats?.dispose();
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('loses nothing, duplicates nothing, keeps each sender in order; the survivor takes over', async () => {
    const [a, b] = [await startRouter(), await startRouter()];
    await Promise.all([ready(a), ready(b)]);
    // The two share the 17 units (16 partitions, the unpartitioned subjects).
    await pollUntil(
      async () => {
        const [ma, mb] = await Promise.all([metricsOf(a), metricsOf(b)]);
        return ma.held > 0 && mb.held > 0 && ma.held + mb.held === 17;
      },
      { what: 'both routers holding partitions', timeoutMs: 15_000, intervalMs: 100 },
    );

    const sending = sendAll(0, PER_SENDER);
    // Kill it mid-stream, once both have handled messages (parallelism) and much is still to do.
    // A loaded CI machine (the static checks run beside this file) once took over 30 s for a
    // freshly started router's fifth message: wait longer, and say where each router stood.
    let seen = '';
    const before = await pollUntil(
      async () => {
        const [ma, mb] = await Promise.all([metricsOf(a), metricsOf(b)]);
        seen = `a: ${ma.held} held, ${ma.acked} acked; b: ${mb.held} held, ${mb.acked} acked`;
        return ma.acked >= 5 && mb.acked >= 5 ? { a: ma, b: mb } : null;
      },
      { what: 'both routers handling messages', timeoutMs: 60_000, intervalMs: 20 },
    ).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)} (${seen})`);
    });
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const atKill = await progress();
    expect(atKill.acked).toBeLessThan(TOTAL);

    await sending;
    const sentAllMs = Date.now() - killedAt;
    const takeoverMs = await pollUntil(
      async () => ((await metricsOf(b)).held === 17 ? Date.now() - killedAt : null),
      { what: 'the survivor holding every partition', timeoutMs: 30_000, intervalMs: 50 },
    );
    const recoveredMs = await pollUntil(
      async () => (groupSettled(await progress(), TOTAL) ? Date.now() - killedAt : null),
      // 27.5 s once in CI's PostgreSQL run, the routers starved by the static checks beside it
      { what: 'every message acknowledged', timeoutMs: 60_000, intervalMs: 50 },
    );
    const survivor = await metricsOf(b);

    // The killed router comes back: it takes its share again and handles new messages.
    const back = await startRouter();
    await ready(back);
    await pollUntil(async () => (await metricsOf(back)).held > 0, {
      what: 'the restarted router taking its share',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    await sendAll(PER_SENDER, PER_SENDER + AFTER_RESTART);
    const total = TOTAL + SENDERS * AFTER_RESTART;
    await pollUntil(async () => groupSettled(await progress(), total), {
      what: 'the messages after the restart acknowledged',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const afterRestart = await metricsOf(back);
    for (const r of [b, back]) r.child.kill('SIGTERM');
    await Promise.all([b.exited, back.exited]);

    const database = await openDatabase(db.config);
    let rows: Row[];
    try {
      const res = await database.db.execute(
        sql`SELECT conversation_id AS "conversationId", seq, dedupe_key AS key FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
      );
      rows = (res as { rows: typeof rows }).rows;
    } finally {
      await database.close();
    }
    // Which SMS each row is: its dedupe key is the blind index of `sms:<sid>` (sealed at rest).
    const indexKey = Buffer.from(env.DATA_INDEX_KEY!, 'base64');
    const sent = Array.from({ length: SENDERS }, (_, c) =>
      Array.from({ length: PER_SENDER + AFTER_RESTART }, (__, k) => ({
        key: blindIndex(indexKey, 'dedupe', inboundMsgId('sms', sidOf(c, k))),
        sender: c,
        n: k,
      })),
    ).flat();
    const audit = auditStored(sent, rows);
    const figures = {
      routers: 2,
      leaseMs: LEASE_MS,
      senders: SENDERS,
      sent: total,
      ...audit,
      handledBeforeKill: { killed: before.a.acked, survivor: before.b.acked },
      partitionsBeforeKill: { killed: before.a.held, survivor: before.b.held },
      ackedAtKill: atKill.acked,
      takeoverMs,
      recoveredMs,
      sentAllAfterKillMs: sentAllMs,
      survivorHandled: survivor.acked,
      restartedHeld: afterRestart.held,
      restartedHandled: afterRestart.acked,
    };
    process.stdout.write(`router kill -9: ${JSON.stringify(figures)}\n`);
    expect(audit).toMatchObject({
      stored: total,
      lost: 0,
      duplicated: 0,
      unknown: 0,
      orderViolations: 0,
      conversations: SENDERS,
    });
    // Parallel work before the kill; the survivor took over well within a few lease terms.
    expect(before.a.acked).toBeGreaterThan(0);
    expect(before.b.acked).toBeGreaterThan(0);
    // About one lease term on an idle machine (2.9-3.8 s); CI's PostgreSQL run starts this file
    // beside lint, typecheck and format, where a starved survivor once needed 10.6 s. Ten terms
    // still tells a takeover apart from one that waits for something else (a restart, a timeout).
    expect(takeoverMs).toBeLessThan(LEASE_MS * 10);
    expect(afterRestart.acked).toBeGreaterThan(0);
  }, 240_000);
});
