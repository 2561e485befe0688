import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { KitModule } from '@omnigate/kit';
import { startNatsServer, pollUntil } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  ALL_STREAMS,
  ensureStreams,
  BusConsumers,
  BusModule,
  BusPublisher,
  BusRpc,
  KvStore,
  NatsConnection,
  PermanentError,
  Streams,
  TransientError,
} from '@omnigate/bus';
import type { DeadLetterEntry } from '@omnigate/bus';

const Payload = z.object({ n: z.number(), key: z.string() });

describe('libs/bus against a real nats-server', () => {
  let nats: TestNatsServer;
  let mod: TestingModule;
  let pub: BusPublisher;
  let consumers: BusConsumers;
  let conn: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    mod = await Test.createTestingModule({
      imports: [
        KitModule,
        BusModule.forRoot({ url: nats.url, name: 'bus-test', publishTimeoutMs: 1000 }),
      ],
    }).compile();
    await mod.init();
    pub = mod.get(BusPublisher);
    consumers = mod.get(BusConsumers);
    conn = mod.get(NatsConnection);
  });
  afterAll(async () => {
    await mod?.close();
    await nats?.dispose();
  });

  it('declares the streams idempotently (a second declaration changes nothing)', async () => {
    const jsm = await conn.manager();
    await ensureStreams(jsm, ALL_STREAMS);
    const names = (await jsm.streams.names().next()).sort();
    expect(names).toEqual([
      'CARDS',
      'CONSENT_EVENTS',
      'CONV_EVENTS',
      'CORE_EVENTS',
      'DLQ',
      'MSG_IN',
      'MSG_OUT',
      'MSG_STATUS',
    ]);
  });

  it('dedupes publishes with the same Nats-Msg-Id', async () => {
    const id = randomUUID();
    const a = await pub.publish(
      'msg.in.v1.sms',
      Payload,
      { n: 1, key: 'a' },
      { msgId: `sms:${id}` },
    );
    const b = await pub.publish(
      'msg.in.v1.sms',
      Payload,
      { n: 1, key: 'a' },
      { msgId: `sms:${id}` },
    );
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
  });

  it('refuses an invalid payload at the producer', async () => {
    await expect(
      pub.publish('msg.in.v1.sms', Payload, { n: 'x' } as never, { msgId: randomUUID() }),
    ).rejects.toThrow();
  });

  it('acks, retries transient failures with backoff, dead-letters permanent ones and bad payloads', async () => {
    const seen: string[] = [];
    let transientLeft = 2;
    await consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: 'test-consumer',
      filterSubject: 'msg.out.v1.telegram',
      schema: Payload,
      backoffMs: [50, 50, 50],
      maxDeliver: 4,
      handle: async (p, ctx) => {
        seen.push(`${p.key}#${ctx.deliveryCount}`);
        if (p.key === 'flaky' && transientLeft-- > 0) {
          throw new TransientError('X.TIMEOUT', 'try again');
        }
        if (p.key === 'poison') throw new PermanentError('X.INVALID', 'never works');
        if (p.key === 'always-fails') throw new TransientError('X.TIMEOUT', 'still down');
      },
    });
    const dlq: DeadLetterEntry[] = [];
    const sub = conn.connection().subscribe('dlq.v1.>', {
      callback: (_e, m) => dlq.push(JSON.parse(Buffer.from(m.data).toString()) as DeadLetterEntry),
    });
    for (const key of ['ok', 'flaky', 'poison', 'always-fails']) {
      await pub.publish('msg.out.v1.telegram', Payload, { n: 1, key }, { msgId: randomUUID() });
    }
    const js = conn.jetstream();
    await js.publish('msg.out.v1.telegram', Buffer.from('{"not":"valid"}'), {
      msgID: randomUUID(),
    });

    await pollUntil(() => dlq.length === 3, { what: 'three dead letters', timeoutMs: 10_000 });
    sub.unsubscribe();
    expect(seen).toContain('ok#1');
    expect(seen).toEqual(expect.arrayContaining(['flaky#1', 'flaky#2', 'flaky#3']));
    expect(seen.filter((s) => s.startsWith('poison'))).toEqual(['poison#1']);
    expect(seen.filter((s) => s.startsWith('always-fails'))).toHaveLength(4);
    const codes = dlq.map((d) => d.error.code).sort();
    expect(codes).toEqual(['BUS.PAYLOAD_INVALID', 'X.INVALID', 'X.TIMEOUT']);
    expect(dlq.every((d) => d.consumer === 'test-consumer' && d.stream === 'MSG_OUT')).toBe(true);
  });

  it('keeps order per key with concurrency', async () => {
    const order: number[] = [];
    await consumers.start({
      stream: Streams.MSG_STATUS.name,
      durable: 'order-consumer',
      filterSubject: 'msg.status.v1.sms',
      schema: Payload,
      concurrency: 4,
      keyOf: (p) => p.key,
      handle: async (p) => {
        await new Promise((r) => setTimeout(r, (10 - p.n) * 2));
        if (p.key === 'k') order.push(p.n);
      },
    });
    for (let n = 0; n < 10; n++) {
      await pub.publish(
        'msg.status.v1.sms',
        Payload,
        { n, key: n % 2 ? 'k' : `other${n}` },
        { msgId: randomUUID() },
      );
    }
    await pollUntil(() => order.length === 5, { what: 'five ordered messages' });
    expect(order).toEqual([1, 3, 5, 7, 9]);
  });

  it('answers typed RPCs and carries error codes', async () => {
    const rpc = mod.get(BusRpc);
    const Req = z.object({ a: z.number() });
    const Res = z.object({ b: z.number() });
    rpc.serve(
      'rpc.v1.test.double',
      Req,
      async (r) => {
        if (r.a < 0) throw new PermanentError('TEST.NEGATIVE_INVALID', 'a must be >= 0');
        return { b: r.a * 2 };
      },
      'test',
    );
    await expect(rpc.request('rpc.v1.test.double', Req, { a: 21 }, Res)).resolves.toEqual({
      b: 42,
    });
    await expect(rpc.request('rpc.v1.test.double', Req, { a: -1 }, Res)).rejects.toMatchObject({
      code: 'TEST.NEGATIVE_INVALID',
    });
    await expect(rpc.request('rpc.v1.test.nobody', Req, { a: 1 }, Res, 300)).rejects.toMatchObject({
      code: 'BUS.UNAVAILABLE',
    });
  });

  it('keeps KV entries with app-side expiry', async () => {
    const bucket = await mod.get(KvStore).bucket<{ c: string }>('test_sessions', 60_000);
    await bucket.put('customer:ü/1', { c: 'x' }, 1000, 1_000);
    expect(await bucket.get('customer:ü/1', 1_500)).toEqual({ c: 'x' });
    expect(await bucket.get('customer:ü/1', 2_001)).toBeUndefined();
  });

  it('fails fast with BUS.UNAVAILABLE while NATS is down, and recovers', async () => {
    await nats.stop();
    await pollUntil(() => !conn.isConnected(), { what: 'disconnect' });
    await expect(
      pub.publish('msg.in.v1.sms', Payload, { n: 1, key: 'z' }, { msgId: randomUUID() }),
    ).rejects.toMatchObject({
      code: 'BUS.UNAVAILABLE',
    });
    await nats.start();
    await pollUntil(() => conn.isConnected(), { what: 'reconnect', timeoutMs: 15_000 });
    const ack = await pub.publish(
      'msg.in.v1.sms',
      Payload,
      { n: 1, key: 'z' },
      { msgId: randomUUID() },
    );
    expect(ack.seq).toBeGreaterThan(0);
  });
});
