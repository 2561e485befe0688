import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { AppError, HealthRegistry, KitModule } from '@omnigate/kit';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  BusModule,
  BusPublisher,
  NatsConnection,
  Streams,
  startDurableConsumer,
} from '@omnigate/bus';
import type { DeadLetterEntry, RunningConsumer } from '@omnigate/bus';

const Payload = z.object({ n: z.number(), key: z.string() });
type Payload = z.infer<typeof Payload>;

/** What node-postgres throws while the database refuses connections. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/**
 * Issue 13 item 5: a dependency that is down (database, core banking, a NATS request) never
 * dead-letters a message, however long it stays down: the consumer holds the message, keeps it
 * alive past ack_wait, says not ready, and handles it once the dependency is back.
 */
describe('libs/bus: a consumer waits out an outage', () => {
  let nats: TestNatsServer;
  let mod: TestingModule;
  let pub: BusPublisher;
  let conn: NatsConnection;
  let health: HealthRegistry;
  const dlq: DeadLetterEntry[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    mod = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: nats.url, name: 'outage-test' })],
    }).compile();
    await mod.init();
    pub = mod.get(BusPublisher);
    conn = mod.get(NatsConnection);
    health = mod.get(HealthRegistry);
    conn.connection().subscribe('dlq.v1.>', {
      callback: (_e, m) => dlq.push(JSON.parse(Buffer.from(m.data).toString()) as DeadLetterEntry),
    });
  });
  afterAll(async () => {
    await mod?.close();
    await nats?.dispose();
  });

  const publish = (subject: string, p: Payload) =>
    pub.publish(subject, Payload, p, { msgId: randomUUID() });

  it('holds messages through a database outage longer than maxDeliver × backoff and ack_wait: none dead-lettered, none redelivered, order kept', async () => {
    let down = true;
    const attempts: string[] = [];
    const handled: Array<{ n: number; deliveryCount: number }> = [];
    const running: RunningConsumer = await startDurableConsumer(conn, {
      stream: Streams.MSG_STATUS.name,
      durable: 'outage-db',
      filterSubject: 'msg.status.v1.sms',
      schema: Payload,
      maxDeliver: 2,
      backoffMs: [20, 50],
      // Far shorter than the outage (about 6 s below): without keep-alive the server would
      // redeliver. Not shorter: a CI machine under load can stall a worker's event loop for
      // several hundred ms, and a stalled keep-alive is not what this test is about.
      ackWaitMs: 1500,
      concurrency: 2,
      keyOf: (p) => p.key,
      handle: async (p, ctx) => {
        attempts.push(`${p.n}`);
        if (down) throw refused();
        handled.push({ n: p.n, deliveryCount: ctx.deliveryCount });
      },
    });
    for (const n of [1, 2, 3]) await publish('msg.status.v1.sms', { n, key: 'same-customer' });
    await publish('msg.status.v1.sms', { n: 4, key: 'other-customer' });

    // Well past maxDeliver tries and several ack_waits: the first message of each key keeps trying.
    await pollUntil(() => attempts.filter((a) => a === '1').length >= 120, {
      what: '120 tries of message 1',
      timeoutMs: 40_000,
    });
    expect((await health.run()).consumers).toBe(false);
    expect(conn.outages.snapshot()).toEqual({ 'outage-db': ['DEPENDENCY.UNAVAILABLE'] });
    // Messages 2 and 3 wait behind 1 (same key): never tried while 1 is not done.
    expect(attempts).not.toContain('2');

    down = false;
    // At least four: a redelivered duplicate fails the exact checks below, not this wait.
    await pollUntil(() => handled.length >= 4, { what: 'all four handled', timeoutMs: 20_000 });
    expect(handled).toHaveLength(4);
    expect(handled.filter((h) => h.n !== 4).map((h) => h.n)).toEqual([1, 2, 3]);
    // One delivery each: kept alive, never redelivered, so never near maxDeliver.
    expect(handled.every((h) => h.deliveryCount === 1)).toBe(true);
    expect(dlq).toEqual([]);
    await pollUntil(async () => (await health.run()).consumers, { what: 'ready again' });
    const info = await (await conn.manager()).consumers.info(Streams.MSG_STATUS.name, 'outage-db');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    await running.stop();
  });

  it('waits on an AppError marked transient: core banking down, a NATS request unanswered', async () => {
    let down = true;
    const handled: number[] = [];
    let tries = 0;
    const running = await startDurableConsumer(conn, {
      stream: Streams.MSG_STATUS.name,
      durable: 'outage-core',
      filterSubject: 'msg.status.v1.telegram',
      schema: Payload,
      maxDeliver: 2,
      backoffMs: [10, 20],
      handle: async (p) => {
        tries++;
        if (down) {
          throw p.n === 1
            ? new AppError('CORE_BANKING.UNAVAILABLE', 'timeout', { transient: true })
            : new AppError('BUS.UNAVAILABLE', 'no answer on rpc.v1.x', { transient: true });
        }
        handled.push(p.n);
      },
    });
    await publish('msg.status.v1.telegram', { n: 1, key: 'a' });
    await publish('msg.status.v1.telegram', { n: 2, key: 'b' });
    await pollUntil(() => tries >= 20, { what: '20 tries' });
    down = false;
    await pollUntil(() => handled.length === 2, { what: 'both handled' });
    expect(dlq.filter((d) => d.consumer === 'outage-core')).toEqual([]);
    await running.stop();
  });

  it('still dead-letters what can never succeed, and a retryable error after maxDeliver', async () => {
    const running = await startDurableConsumer(conn, {
      stream: Streams.MSG_STATUS.name,
      durable: 'outage-permanent',
      filterSubject: 'msg.status.v1.email',
      schema: Payload,
      maxDeliver: 2,
      backoffMs: [10],
      handle: async (p) => {
        if (p.n === 1) throw new AppError('X.INVALID', 'never works');
        throw new TypeError('a bug, not an outage');
      },
    });
    await publish('msg.status.v1.email', { n: 1, key: 'a' });
    await publish('msg.status.v1.email', { n: 2, key: 'b' });
    const mine = () => dlq.filter((d) => d.consumer === 'outage-permanent');
    await pollUntil(() => mine().length === 2, { what: 'two dead letters' });
    expect(
      mine()
        .map((d) => d.error.code)
        .sort(),
    ).toEqual(['HANDLER.FAILED', 'X.INVALID']);
    await running.stop();
  });

  it('stops at once while waiting out an outage, and hands the message back unacknowledged', async () => {
    let tries = 0;
    const first = await startDurableConsumer(conn, {
      stream: Streams.MSG_STATUS.name,
      durable: 'outage-stop',
      filterSubject: 'msg.status.v1.whatsapp',
      schema: Payload,
      backoffMs: [600_000],
      handle: async () => {
        tries++;
        throw refused();
      },
    });
    await publish('msg.status.v1.whatsapp', { n: 1, key: 'a' });
    await pollUntil(() => tries === 1, { what: 'first try' });
    // The ten-minute wait is cut short (were it not, this test would outlive jest's timeout).
    await first.stop();
    expect(tries).toBe(1);
    const handled: number[] = [];
    const second = await startDurableConsumer(conn, {
      stream: Streams.MSG_STATUS.name,
      durable: 'outage-stop',
      filterSubject: 'msg.status.v1.whatsapp',
      schema: Payload,
      handle: async (p) => {
        handled.push(p.n);
      },
    });
    await pollUntil(() => handled.length === 1, { what: 'the handed-back message' });
    expect(dlq.filter((d) => d.consumer === 'outage-stop')).toEqual([]);
    await second.stop();
  });
});
