import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { BusModule, BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { KitModule } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { openDatabase } from '@omnigate/store';
import {
  consumerProgress,
  inboundMessage,
  createTestDatabase,
  freePort,
  pollUntil,
  startNatsServer,
} from '@omnigate/testing';
import type { TestDatabase, TestNatsServer } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { devEnv, loadDevSecrets } from '../../tools/dev-env';

// database-incidental: a router killed mid-stream and restarted stores each message once (the
// unique dedupe index, the same SQL on both engines); what PostgreSQL adds, transactions cut
// mid-way by a lost connection, is what database-outage.e2e-spec.ts does on PostgreSQL.
const ROOT = join(__dirname, '..', '..');
const TOTAL = 120;
const WHILE_DOWN = 20;

function inbound(i: number): InboundMessageV1 {
  return inboundMessage({
    providerMessageId: `SMcrash${String(i).padStart(8, '0')}`,
    from: {
      address: i % 3 === 0 ? '+393471234567' : `+39348${String(1_000_000 + (i % 25)).slice(-7)}`,
    },
    text: `messaggio ${i}`,
  });
}

describe('a router killed while messages are in flight', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let sandbox: RunningHttpApp;
  let bus: TestingModule;
  let router: ChildProcess | null = null;
  let env: NodeJS.ProcessEnv;
  const secretsDir = mkdtempSync(join(tmpdir(), 'og-crash-'));

  const startRouter = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps', 'router', 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await pollUntil(
      async () => (await fetch(`http://127.0.0.1:${env.ROUTER_PORT}/health`).catch(() => null))?.ok,
      {
        what: 'the router process to be ready',
        timeoutMs: 30_000,
      },
    );
    return child;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase({ onDisk: true });
    const ports = {
      console: 0,
      sms: 0,
      inapp: 0,
      router: await freePort(),
      sandbox: await freePort(),
      whatsapp: 0,
      telegram: 0,
      // The sandbox's SMTP sink: never the default port, which `npm start` may hold.
      smtpSink: await freePort(),
    };
    env = devEnv({
      natsUrl: nats.url,
      dataEnv: db.env,
      secrets: await loadDevSecrets(secretsDir),
      ports,
      base: { LOG_LEVEL: 'warn', ROUTER_ACK_WAIT_MS: '2000' },
    });
    sandbox = await startSandbox(env);
    bus = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: nats.url, name: 'crash-test' })],
    }).compile();
    await bus.init();
  });
  afterAll(async () => {
    router?.kill('SIGKILL');
    await bus?.close();
    await sandbox?.close();
    await db?.cleanup();
    await nats?.dispose();
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('stores every message exactly once after a restart', async () => {
    router = await startRouter();
    const pub = bus.get(BusPublisher);
    const publishAll = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const m = inbound(i);
        await pub.publish(Subjects.inbound('sms'), InboundMessageV1Schema, m, {
          msgId: inboundMsgId('sms', m.providerMessageId),
        });
      }
    };
    await publishAll(0, TOTAL);

    // Kill it mid-stream: some messages stored, others delivered but not acknowledged, others not yet delivered.
    await pollUntil(
      async () =>
        ((await consumerProgress(nats.url, 'MSG_IN', 'router-inbound'))?.ackFloor ?? 0) >= 20,
      // A loaded CI machine may take a while to start the consumer: wait long, poll often.
      { what: 'the router to be mid-stream', timeoutMs: 30_000, intervalMs: 5 },
    );
    const killed = router;
    const exited = new Promise((r) => killed.once('exit', r));
    killed.kill('SIGKILL');
    await exited;
    const atKill = await consumerProgress(nats.url, 'MSG_IN', 'router-inbound');
    expect(atKill!.ackFloor).toBeLessThan(TOTAL);

    // Messages keep arriving while it is down; nothing is lost.
    await publishAll(TOTAL, TOTAL + WHILE_DOWN);
    router = await startRouter();
    await pollUntil(
      async () => {
        const p = await consumerProgress(nats.url, 'MSG_IN', 'router-inbound');
        return p && p.ackFloor === TOTAL + WHILE_DOWN && p.pending === 0 && p.ackPending === 0;
      },
      { what: 'every message acknowledged', timeoutMs: 60_000, intervalMs: 100 },
    );
    const stopped = router;
    const gone = new Promise((r) => stopped.once('exit', r));
    stopped.kill('SIGTERM');
    await gone;
    router = null;

    const database = await openDatabase(db.config);
    try {
      const res = await database.db.execute(
        // Ids are sealed at rest: count the SMS messages and their distinct (blind-indexed) dedupe keys.
        sql`SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS distinct_ids FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
      );
      const row = (res as { rows: Array<{ n: number; distinct_ids: number }> }).rows[0]!;
      expect(row).toEqual({ n: TOTAL + WHILE_DOWN, distinct_ids: TOTAL + WHILE_DOWN });
      const convs = await database.db.execute(
        sql`SELECT count(*)::int AS n FROM (SELECT customer_id FROM conversations WHERE status = 'open' GROUP BY customer_id HAVING count(*) > 1) x`,
      );
      expect((convs as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    } finally {
      await database.close();
    }
  }, 120_000);
});
