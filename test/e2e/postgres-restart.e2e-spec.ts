import { Client } from 'pg';
import { dbRoleName, migrateDatabase, urlAsRole } from '@omnigate/store';
import {
  PostgresBinariesMissingError,
  auditDelivery,
  groupSettled,
  pollUntil,
  postgresBinDir,
  startNatsServer,
  startPostgresServer,
  storedInboundSms,
} from '@omnigate/testing';
import type { TestNatsServer, TestPostgresServer } from '@omnigate/testing';
import { startSmsRouterSystem } from './sms-router.harness';
import type { SmsRouterSystem } from './sms-router.harness';

/**
 * Issue 14 item 3, "PostgreSQL restarted": the router's PostgreSQL server of its own (initdb in a
 * temp dir, libs/testing) is restarted for real under SMS traffic, once as a crash
 * (`pg_ctl restart -m immediate`: backends killed, WAL recovery at the start) and once stopped
 * (`-m fast`) for DOWN_MS, then started. Every accepted message is stored once and in its
 * sender's order, nothing is dead-lettered, the router never exits and is ready again.
 *
 * It needs no DATABASE_URL (its server is its own), so it runs once, in CI's first run: it never
 * opens the shared test database, hence is not listed for the PostgreSQL run.
 */
const SENDERS = 10;
/** Each sender's first messages, stored before the fault. */
const BEFORE = 2;
/** Then these, paced so that the fault falls among them. */
const DURING = 6;
const PER_SENDER = BEFORE + DURING;
const PER_PHASE = SENDERS * PER_SENDER;
/** How long the stopped server stays down. */
const DOWN_MS = Number(process.env.PG_DOWN_MS ?? 5000);
const bin = postgresBinDir();

interface HealthSample {
  at: number;
  status: number;
}

/** The router's /health every 100 ms until stopped: did readiness drop, when was it back. */
function watchHealth(health: () => Promise<number>) {
  const samples: HealthSample[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      samples.push({ at: Date.now(), status: await health() });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      on = false;
      await loop;
      const lastBad = samples.findLastIndex((s) => s.status !== 200);
      return {
        sawNotReady: lastBad >= 0,
        readyAt: lastBad >= 0 ? samples[lastBad + 1]?.at : undefined,
      };
    },
  };
}

(bin ? describe : describe.skip)(
  `PostgreSQL restarted under SMS traffic${bin ? '' : ` (skipped: ${new PostgresBinariesMissingError().message})`}`,
  () => {
    let nats: TestNatsServer;
    let pg: TestPostgresServer;
    let sys: SmsRouterSystem;
    let phase = 0;

    beforeAll(async () => {
      [nats, pg] = await Promise.all([startNatsServer(), startPostgresServer()]);
      await migrateDatabase({ url: pg.url });
      sys = await startSmsRouterSystem({
        natsUrl: nats.url,
        // The router logs in as its own role, as in production (trust auth: no password).
        dataEnv: { DATABASE_URL: urlAsRole(pg.url, dbRoleName('router')) },
        tag: 0xdb01,
        // A short ack_wait: messages held through the fault must be kept alive, not redelivered.
        base: { ROUTER_ACK_WAIT_MS: '3000', ROUTER_INBOUND_BACKOFF_MS: '250,1000,3000' },
      });
    }, 240_000);
    afterAll(async () => {
      await sys?.close();
      await pg?.dispose();
      await nats?.dispose();
    });

    /** Inbound SMS rows now, as the superuser, straight to the server; null while it is down. */
    const storedCount = async (): Promise<number | null> => {
      const c = new Client({ connectionString: pg.url, connectionTimeoutMillis: 1000 });
      try {
        await c.connect();
        const r = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
        );
        return Number(r.rows[0]!.n);
      } catch {
        return null;
      } finally {
        await c.end().catch(() => undefined);
      }
    };

    /**
     * One fault under traffic from its own ten senders (so its own ten conversations): each
     * sender's first messages are stored, the rest are sent paced by paceMs, the fault strikes
     * once some of those are handled. Returns the audit and the times to recover.
     */
    const underTraffic = async (fault: () => Promise<void>, paceMs: number) => {
      const senders = Array.from({ length: SENDERS }, (_, i) => phase * SENDERS + i);
      const ackedBefore = phase++ * PER_PHASE;
      const { traffic } = sys;
      const [attempts, refused] = [traffic.attempts, traffic.refused];
      const connectionErrors = () => sys.routerMetric('omnigate_store_connection_errors_total');
      const lostBefore = await connectionErrors();
      await traffic.sendEach(senders, 0, BEFORE);
      await pollUntil(
        async () => groupSettled(await sys.inboundProgress(), ackedBefore + SENDERS * BEFORE),
        { what: 'the first messages stored', timeoutMs: 30_000 },
      );
      const during = traffic.sendEach(senders, BEFORE, PER_SENDER, paceMs);
      // When the last message was accepted: after the server was back, or while it was down.
      const lastSent = during.then(() => Date.now());
      lastSent.catch(() => undefined);
      // Strike once the router is busy with the paced messages: transactions open at the fault.
      await pollUntil(
        async () => (await sys.inboundProgress()).acked > ackedBefore + SENDERS * BEFORE,
        { what: 'a paced message handled', timeoutMs: 30_000, intervalMs: 20 },
      );
      const watch = watchHealth(sys.health);
      const faultAt = Date.now();
      await fault();
      const backAt = Date.now();
      const atBack = await storedCount();
      const resumedAt = await pollUntil(
        async () => {
          const n = await storedCount();
          const stored = n !== null && (n > (atBack ?? 0) || n === phase * PER_PHASE);
          return stored ? Date.now() : null;
        },
        { what: 'the router to store again', timeoutMs: 60_000, intervalMs: 50 },
      );
      const lastSentAt = await lastSent;
      await pollUntil(async () => (await storedCount()) === phase * PER_PHASE, {
        what: 'every message stored',
        timeoutMs: 60_000,
        intervalMs: 50,
      }).catch(() => undefined);
      const lastStoredAt = Date.now();
      const drained = await pollUntil(
        async () => {
          const p = await sys.inboundProgress();
          return groupSettled(p, phase * PER_PHASE) ? p : null;
        },
        { what: 'every message acknowledged', timeoutMs: 30_000, intervalMs: 100 },
      ).catch(() => sys.inboundProgress());
      await pollUntil(async () => (await sys.health()) === 200, {
        what: 'ready again',
        timeoutMs: 30_000,
      });
      const { sawNotReady, readyAt } = await watch.stop();

      const sent = traffic.sentMessages(sys.indexKey, senders, PER_SENDER);
      const sentKeys = new Set(sent.map((m) => m.key));
      // This phase's rows: the other phases' are not this audit's (they would count as unknown).
      const rows = (await storedInboundSms({ url: pg.url })).filter((r) => sentKeys.has(r.key));
      const { lostBySender, ...audit } = auditDelivery(sent, rows);
      return {
        audit,
        lostBySender,
        figures: {
          ...audit,
          ...(audit.lost ? { lostBySender } : {}),
          conversations: new Set(rows.map((r) => r.conversationId)).size,
          deadLetters: await sys.deadLetters(),
          routerExited: sys.routerExit() !== null,
          sawNotReady,
          redelivered: drained.redelivered,
          // The router's pooled connections the fault broke (proof that it struck the router).
          connectionsLost: (await connectionErrors()) - lostBefore,
          settled: groupSettled(drained, phase * PER_PHASE),
          webhookAttempts: traffic.attempts - attempts,
          refusedAndRetried: traffic.refused - refused,
          // How long the server was away (the pg_ctl calls), then the times from its return.
          faultMs: backAt - faultAt,
          resumedMs: resumedAt - backAt,
          lastSentMs: lastSentAt - backAt,
          lastStoredMs: lastStoredAt - backAt,
          readyMs: readyAt === undefined ? 0 : Math.max(0, readyAt - backAt),
        },
      };
    };

    const expectClean = (r: Awaited<ReturnType<typeof underTraffic>>) => {
      expect(r.audit).toEqual({
        sent: PER_PHASE,
        stored: PER_PHASE,
        lost: 0,
        duplicated: 0,
        unknown: 0,
        orderViolations: 0,
      });
      expect(r.figures.deadLetters).toBe(0);
      expect(r.figures.routerExited).toBe(false);
      expect(r.figures.connectionsLost).toBeGreaterThan(0);
      expect(r.figures.settled).toBe(true);
      // Held through the fault and kept alive, not given up to JetStream's redelivery.
      expect(r.figures.redelivered).toBe(0);
    };

    it('pg_ctl restart -m immediate (a crash, WAL recovery): every message once, in order', async () => {
      const r = await underTraffic(() => pg.restart({ mode: 'immediate' }), 150);
      process.stdout.write(`postgres restart immediate: ${JSON.stringify(r.figures)}\n`);
      expectClean(r);
    }, 120_000);

    it(`stopped (-m fast) for ${DOWN_MS / 1000} s, then started: every message once, in order`, async () => {
      const r = await underTraffic(async () => {
        await pg.stop({ mode: 'fast' });
        const downAt = Date.now();
        // The server is down on purpose for DOWN_MS while the senders go on: a timed fault.
        await pollUntil(() => Date.now() - downAt >= DOWN_MS, {
          what: 'the downtime',
          timeoutMs: DOWN_MS + 1000,
          intervalMs: 100,
        });
        await pg.start();
      }, DOWN_MS / DURING);
      process.stdout.write(`postgres stopped ${DOWN_MS} ms: ${JSON.stringify(r.figures)}\n`);
      expectClean(r);
      expect(r.figures.sawNotReady).toBe(true);
    }, 120_000);
  },
);
