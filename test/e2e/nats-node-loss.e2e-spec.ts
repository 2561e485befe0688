import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { connect } from 'nats';
import type { JetStreamManager, NatsConnection as RawConnection } from 'nats';
import { sql } from 'drizzle-orm';
import {
  ALL_STREAMS,
  BusModule,
  KvStore,
  NatsConnection,
  ObjectStoreClient,
  Streams,
} from '@omnigate/bus';
import { KitModule } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { inboundMsgId } from '@omnigate/contracts';
import { blindIndex } from '@omnigate/crypto';
import { openDatabase } from '@omnigate/store';
import { createTestDatabase, freePort, pollUntil, startNatsCluster } from '@omnigate/testing';
import type { TestDatabase, TestNatsCluster } from '@omnigate/testing';
import { bootstrap as startSandbox } from '../../apps/sandbox/src/bootstrap';
import { bootstrap as startSms } from '../../apps/gateway-sms/src/bootstrap';
import { bootstrap as startRouter } from '../../apps/router/src/bootstrap';
import { DEV_OUR_NUMBER, appEnv, devEnv, loadDevSecrets } from '../../tools/dev-env';
import { deployNatsUsers } from '../../tools/nats-test-users';

// database-incidental: the fault is a NATS node; the router stores through the same SQL on both
// engines, and PostgreSQL's own faults are database-outage.e2e-spec.ts's.

/**
 * Issue 14 items 1 and 3: three nats-servers from deploy/nats/cluster with the deploy's users,
 * every stream and bucket on three nodes (NATS_REPLICAS=3). Customers' SMS arrive through the
 * sandbox's signed Twilio webhook at the SMS gateway and the router stores them; the node leading
 * MSG_IN is killed (SIGKILL) under that load and restarted. A webhook the gateway could not
 * publish answers 503 and is sent again, as Twilio would: nothing accepted may be lost,
 * duplicated or reordered within a conversation.
 */
const SENDERS = 10;
const PER_SENDER = 18;
const TOTAL = SENDERS * PER_SENDER;
/** Between one sender's messages: about 30 webhooks a second in all. */
const PACE_MS = 300;
/** A refused webhook is sent again after this (Twilio's retries are slower; the test is short). */
const RETRY_MS = 200;

/** The k-th SMS of sender c: its Twilio sid says who and which, for the order check. */
const sidOf = (c: number, k: number) =>
  `SM${(0xc1a5 * 0x10000 + c).toString(16).padStart(12, '0')}${k.toString(16).padStart(20, '0')}`;
const senderOf = (c: number) => `+39347${String(2_000_000 + c).slice(-7)}`;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a NATS node stopped under load (three-node cluster, R3)', () => {
  const users = deployNatsUsers('gateway-sms');
  const passwords = users.opts.nats.env ?? {};
  const probeAuth = users.opts.probeAuth;
  let cluster: TestNatsCluster;
  let nc: RawConnection;
  let jsm: JetStreamManager;
  const modules: TestingModule[] = [];

  beforeAll(async () => {
    cluster = await startNatsCluster({
      users: users.opts.nats.extraConfig,
      env: passwords,
      auth: probeAuth,
    });
    nc = await connect({ servers: cluster.url.split(','), name: 'node-loss-probe', ...probeAuth });
    // Short API timeouts: the probe measures how soon the cluster answers after the kill.
    jsm = await nc.jetstreamManager({ timeout: 1000 });
  });
  afterAll(async () => {
    for (const m of modules) await m.close().catch(() => undefined);
    await nc?.close();
    await cluster?.dispose();
  });

  /** A bus as the all-seeing test probe, with this replica setting. */
  const busWith = async (replicas: number | undefined): Promise<TestingModule> => {
    const mod = await Test.createTestingModule({
      imports: [
        KitModule,
        BusModule.forRoot({
          url: cluster.url,
          name: 'replicas-test',
          user: probeAuth.user,
          pass: probeAuth.pass,
          ...(replicas !== undefined ? { replicas } : {}),
        }),
      ],
      providers: [ObjectStoreClient],
    }).compile();
    modules.push(mod);
    await mod.init();
    const kv = mod.get(KvStore);
    await kv.bucket('replicas_test', 60_000);
    await mod.get(ObjectStoreClient).bucket('replicas_test', 60_000);
    return mod;
  };

  /** Each stream's replica count once the cluster has placed every copy and it is current. */
  const placedReplicas = (names: string[], want: number) =>
    pollUntil(
      async () => {
        const counts: Record<string, number> = {};
        for (const name of names) {
          const info = await jsm.streams.info(name);
          const followers = info.cluster?.replicas ?? [];
          if (followers.length !== want - 1 || followers.some((r) => !r.current)) return null;
          counts[name] = info.config.num_replicas;
        }
        return counts;
      },
      { what: `every stream on ${want} nodes`, timeoutMs: 20_000, intervalMs: 100 },
    );

  it('puts every stream, KV bucket and object store on NATS_REPLICAS nodes, up and down', async () => {
    const names = [...ALL_STREAMS.map((s) => s.name), 'KV_replicas_test', 'OBJ_replicas_test'];
    const one = await busWith(1);
    expect(Object.values(await placedReplicas(names, 1))).toEqual(names.map(() => 1));
    await one.close();
    // The setting changed: the next start scales what exists (NATS 2.9 updates replicas in place).
    const three = await busWith(3);
    expect(Object.values(await placedReplicas(names, 3))).toEqual(names.map(() => 3));
    await three.close();
    // A bus without the setting (a probe, a tool) never scales production down.
    const unset = await busWith(undefined);
    expect(Object.values(await placedReplicas(names, 3))).toEqual(names.map(() => 3));
    expect(unset.get(NatsConnection).isConnected()).toBe(true);
  });

  describe('under SMS traffic', () => {
    let db: TestDatabase;
    const apps: RunningHttpApp[] = [];
    let env: NodeJS.ProcessEnv;
    const secretsDir = mkdtempSync(join(tmpdir(), 'og-node-loss-'));

    beforeAll(async () => {
      db = await createTestDatabase();
      env = devEnv({
        natsUrl: cluster.url,
        dataEnv: db.env,
        secrets: await loadDevSecrets(secretsDir),
        ports: {
          console: 0,
          sms: await freePort(),
          inapp: 0,
          router: await freePort(),
          sandbox: await freePort(),
          whatsapp: 0,
          telegram: 0,
          smtpSink: await freePort(),
        },
        base: { LOG_LEVEL: 'warn', ROUTER_BOT_ENABLED: 'false', NATS_REPLICAS: '3' },
      });
      const as = (app: string, user: string) => ({
        ...appEnv(app, env),
        NATS_USER: user,
        NATS_PASS: passwords[`NATS_PASS_${user.replace(/-/g, '_').toUpperCase()}`],
      });
      apps.push(await startSandbox(env));
      apps.push(await startRouter(as('router', 'router')));
      apps.push(await startSms(as('gateway-sms', 'gateway-sms')));
    }, 120_000);
    afterAll(async () => {
      for (const app of apps.reverse()) await app.close().catch(() => undefined);
      await db?.cleanup();
      rmSync(secretsDir, { recursive: true, force: true });
    });

    /** Twilio's signed webhook through the sandbox; the gateway's answer (0: no answer). */
    const inject = async (c: number, k: number): Promise<number> => {
      const res = await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/sandbox/twilio/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: senderOf(c),
          to: DEV_OUR_NUMBER,
          body: `messaggio ${k}`,
          messageSid: sidOf(c, k),
        }),
      }).catch(() => null);
      if (!res?.ok) return 0;
      return ((await res.json()) as { status: number }).status;
    };

    const leaderOf = async (stream: string): Promise<string | undefined> =>
      (await jsm.streams.info(stream).catch(() => null))?.cluster?.leader;

    it('stores every accepted SMS once and in order; the cluster heals', async () => {
      const acceptedAt: number[] = [];
      let attempts = 0;
      let refused = 0;
      const sendAll = async (c: number) => {
        for (let k = 0; k < PER_SENDER; k++) {
          const giveUp = Date.now() + 30_000;
          for (;;) {
            attempts++;
            if ((await inject(c, k)) === 200) break;
            refused++;
            if (Date.now() > giveUp) throw new Error(`SMS ${k} of sender ${c} refused for 30 s`);
            await delay(RETRY_MS);
          }
          acceptedAt.push(Date.now());
          await delay(PACE_MS);
        }
      };
      const started = Date.now();
      const load = Promise.all(Array.from({ length: SENDERS }, (_, c) => sendAll(c)));
      load.catch(() => undefined);

      // A third of the traffic in, kill the node that leads MSG_IN (no goodbye: SIGKILL).
      await pollUntil(() => acceptedAt.length >= TOTAL / 3, {
        what: 'a third accepted',
        timeoutMs: 30_000,
      });
      const leader = await pollUntil(() => leaderOf(Streams.MSG_IN.name), { what: 'a leader' });
      const victim = cluster.node(leader);
      await victim.stop('SIGKILL');
      const killedAt = Date.now();
      const acceptedBeforeKill = acceptedAt.length;
      const newLeader = await pollUntil(
        async () => {
          const l = await leaderOf(Streams.MSG_IN.name);
          return l && l !== leader ? l : null;
        },
        { what: 'a new MSG_IN leader', timeoutMs: 20_000, intervalMs: 50 },
      );
      const electedMs = Date.now() - killedAt;
      const firstAccepted = await pollUntil(() => acceptedAt.find((t) => t > killedAt + 0), {
        what: 'a webhook accepted after the kill',
        timeoutMs: 20_000,
        intervalMs: 20,
      });
      // Traffic goes on with two nodes for another third of the load, then the node comes back.
      await pollUntil(() => acceptedAt.length >= (2 * TOTAL) / 3, {
        what: 'two thirds accepted',
        timeoutMs: 30_000,
      });
      const downMs = Date.now() - killedAt;
      await victim.start();
      const restartedAt = Date.now();
      await pollUntil(
        async () => {
          const info = await jsm.streams.info(Streams.MSG_IN.name).catch(() => null);
          const peers = [
            info?.cluster?.leader,
            ...(info?.cluster?.replicas ?? []).map((r) => r.current && r.name),
          ];
          return (
            peers.includes(victim.name) && (info?.cluster?.replicas ?? []).every((r) => r.current)
          );
        },
        { what: 'the restarted node current on MSG_IN again', timeoutMs: 30_000, intervalMs: 50 },
      );
      const rejoinedMs = Date.now() - restartedAt;
      await load;
      const sentMs = Date.now() - started;

      const database = await openDatabase(db.config);
      let rows: Array<{ conversation_id: string; seq: number; dedupe_key: string }>;
      try {
        const read = async () =>
          (
            (await database.db.execute(
              sql`SELECT conversation_id, seq, dedupe_key FROM messages WHERE channel = 'sms' AND direction = 'inbound' ORDER BY conversation_id, seq`,
            )) as { rows: typeof rows }
          ).rows;
        rows = await pollUntil(
          async () => {
            const r = await read();
            return r.length >= TOTAL ? r : null;
          },
          { what: `${TOTAL} messages stored`, timeoutMs: 30_000, intervalMs: 200 },
        ).catch(async () => read());
      } finally {
        await database.close();
      }
      const storedMs = Date.now() - started;
      // Which SMS each row is: its dedupe key is the blind index of `sms:<sid>` (sealed at rest).
      const indexKey = Buffer.from(env.DATA_INDEX_KEY!, 'base64');
      const which = new Map<string, { c: number; k: number }>();
      for (let c = 0; c < SENDERS; c++) {
        for (let k = 0; k < PER_SENDER; k++) {
          which.set(blindIndex(indexKey, 'dedupe', inboundMsgId('sms', sidOf(c, k))), { c, k });
        }
      }
      // Order: within a conversation (rows by seq) a sender's k only goes up.
      let orderViolations = 0;
      let duplicates = 0;
      let unknown = 0;
      const seen = new Set<string>();
      for (let i = 0; i < rows.length; i++) {
        const sms = which.get(rows[i]!.dedupe_key);
        if (!sms) {
          unknown++;
          continue;
        }
        if (seen.has(rows[i]!.dedupe_key)) duplicates++;
        seen.add(rows[i]!.dedupe_key);
        const prev = rows[i - 1] && which.get(rows[i - 1]!.dedupe_key);
        const sameConversation = rows[i - 1]?.conversation_id === rows[i]!.conversation_id;
        if (prev && sameConversation && (prev.c !== sms.c || prev.k > sms.k)) orderViolations++;
      }
      const lost = TOTAL - seen.size;
      /** Sender → its SMS that were accepted and never stored (for the report when any are). */
      const lostBySender: Record<number, number[]> = {};
      for (const [key, { c, k }] of which) if (!seen.has(key)) (lostBySender[c] ??= []).push(k);
      const longestGapMs = acceptedAt
        .slice()
        .sort((a, b) => a - b)
        .reduce((gap, t, i, all) => (i ? Math.max(gap, t - all[i - 1]!) : 0), 0);
      const dlq = await jsm.streams.info(Streams.DLQ.name);
      const figures = {
        nodes: 3,
        replicas: 3,
        sent: TOTAL,
        attempts,
        refusedAndRetried: refused,
        stored: rows.length,
        lost,
        duplicated: duplicates,
        unknownRows: unknown,
        ...(lost ? { lostBySender } : {}),
        orderViolations,
        conversations: new Set(rows.map((r) => r.conversation_id)).size,
        deadLetters: dlq.state.messages,
        killed: `${leader} (MSG_IN leader, SIGKILL) after ${acceptedBeforeKill} accepted`,
        newLeader,
        leaderElectedMs: electedMs,
        firstAcceptedAfterKillMs: firstAccepted - killedAt,
        longestWebhookGapMs: longestGapMs,
        nodeDownMs: downMs,
        rejoinedMs,
        loadMs: sentMs,
        allStoredMs: storedMs,
      };
      process.stdout.write(`nats node loss: ${JSON.stringify(figures)}\n`);
      if (rows.length < TOTAL) {
        // Where the rest is: the stream's consumers (which one stopped, how much it holds).
        for await (const ci of jsm.consumers.list(Streams.MSG_IN.name)) {
          const { name, delivered, ack_floor, num_pending, num_ack_pending, num_waiting } = ci;
          const held = { delivered, ack_floor, num_pending, num_ack_pending, num_waiting };
          process.stdout.write(`consumer ${name}: ${JSON.stringify(held)}\n`);
        }
      }
      expect({ stored: rows.length, lost, duplicates, orderViolations, unknown }).toEqual({
        stored: TOTAL,
        lost: 0,
        duplicates: 0,
        orderViolations: 0,
        unknown: 0,
      });
      expect(dlq.state.messages).toBe(0);
      expect(newLeader).not.toBe(leader);
    }, 120_000);
  });
});
