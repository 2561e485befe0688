import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { defineBroadcast, defineRequest, defineStream } from '@omnigate/contracts';
import { KitModule, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  BusClient,
  BusContext,
  BusModule,
  NatsConnection,
  OnBroadcast,
  OnRequest,
  OnStream,
  PermanentError,
  TransientError,
  busTransport,
} from '@omnigate/bus';
import type { DeadLetterEntry } from '@omnigate/bus';

/**
 * The Nest transport on a real nats-server, through libs/kit startHttpApp as every app starts:
 * @OnStream handlers are durable consumers with BusConsumers' semantics, @OnRequest handlers
 * answer in a queue group with the RpcReply envelope, @OnBroadcast reaches every instance.
 */
const Job = z.object({ key: z.string(), n: z.number() });
const JOBS = defineStream({
  subject: 'msg.out.v1.>',
  stream: 'MSG_OUT',
  schema: Job,
  publishSubject: () => 'msg.out.v1.sms',
  msgIdOf: (j) => `job:${j.key}:${j.n}`,
});
const DOUBLE = defineRequest({
  subject: 'rpc.v1.test.double',
  request: z.object({ a: z.number() }),
  response: z.object({ b: z.number() }),
});
const BROKEN = defineRequest({
  subject: 'rpc.v1.test.broken',
  request: z.object({}),
  response: z.object({ b: z.number() }),
});
const PING = defineBroadcast({ subject: 'typing.v1.*', schema: z.object({ id: z.string() }) });

interface Seen {
  key: string;
  n: number;
  subject: string;
  deliveryCount: number;
  streamSeq: number;
  header?: string;
}

/** One per app instance: what its handlers saw. */
class Journal {
  jobs: Seen[] = [];
  pings: string[] = [];
  transientLeft = 2;
  /** Resolves the in-flight 'slow' job (shutdown test). */
  release: (() => void) | null = null;
}

@Controller()
class TestHandlers {
  constructor(private readonly journal: Journal) {}

  @OnStream(JOBS, { durable: 'test-jobs', keyOf: (j) => j.key, backoffMs: [50], concurrency: 4 })
  async job(j: z.infer<typeof Job>, ctx: BusContext): Promise<void> {
    const { subject, deliveryCount, streamSeq } = ctx;
    this.journal.jobs.push({ ...j, subject, deliveryCount, streamSeq, header: ctx.headers['x-t'] });
    if (j.key === 'flaky' && this.journal.transientLeft-- > 0) {
      throw new TransientError('TEST.TIMEOUT', 'try again');
    }
    if (j.key === 'poison') throw new PermanentError('TEST.INVALID', 'never works');
    if (j.key === 'always-fails') throw new Error('database went away');
    if (j.key === 'ordered') await new Promise((r) => setTimeout(r, (5 - j.n) * 10));
    if (j.key === 'slow') await new Promise<void>((r) => (this.journal.release = r));
  }

  @OnRequest(DOUBLE)
  double(r: { a: number }) {
    if (r.a < 0) throw new PermanentError('TEST.NEGATIVE_INVALID', 'a must be >= 0');
    if (r.a === 13) throw new Error('a bug with a secret inside');
    return { b: r.a * 2 };
  }

  @OnRequest(BROKEN)
  broken() {
    return { b: 'not a number' } as unknown as { b: number };
  }

  @OnBroadcast(PING)
  ping(p: { id: string }): void {
    this.journal.pings.push(p.id);
  }
}

function testModule(url: string, name: string) {
  @Module({
    imports: [KitModule, BusModule.forRoot({ url, name, shutdownGraceMs: 3000 })],
    controllers: [TestHandlers],
    providers: [Journal],
  })
  class TestAppModule {}
  return TestAppModule;
}

describe('BusTransport (Nest microservice handlers over JetStream and NATS)', () => {
  let nats: TestNatsServer;
  let app: RunningHttpApp;
  let second: RunningHttpApp;
  let client: BusClient;
  let dlq: DeadLetterEntry[];
  const start = (name: string) =>
    startHttpApp(testModule(nats.url, name), {
      name,
      port: 0,
      logLevel: 'warn',
      transport: busTransport({ queue: 'test', consumers: { 'test-jobs': { maxDeliver: 3 } } }),
    });
  const journal = (a: RunningHttpApp) => a.app.get(Journal);
  const jobsOf = (key: string) => journal(app).jobs.filter((j) => j.key === key);

  beforeAll(async () => {
    nats = await startNatsServer();
    app = await start('transport-a');
    second = await start('transport-b');
    client = app.app.get(BusClient);
    dlq = [];
    app.app
      .get(NatsConnection)
      .connection()
      .subscribe('dlq.v1.>', {
        callback: (_e, m) =>
          dlq.push(JSON.parse(Buffer.from(m.data).toString()) as DeadLetterEntry),
      });
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await nats?.dispose();
  });

  it('acks, retries transient failures, dead-letters permanent ones, bad payloads and the last delivery', async () => {
    await second.close(); // one consumer instance: every delivery is seen by `app`
    for (const key of ['ok', 'flaky', 'poison', 'always-fails']) {
      await client.request(DOUBLE, { a: 1 }); // the app is up and answering
      await lastValueFrom(client.emit(JOBS, { key, n: 1 }, { headers: { 'x-t': key } }));
    }
    const js = app.app.get(NatsConnection).jetstream();
    await js.publish('msg.out.v1.sms', Buffer.from('{"not":"a job"}'), { msgID: randomUUID() });

    await pollUntil(() => dlq.length === 3, { what: 'three dead letters', timeoutMs: 15_000 });
    expect(jobsOf('ok')).toEqual([
      expect.objectContaining({ subject: 'msg.out.v1.sms', deliveryCount: 1, header: 'ok' }),
    ]);
    expect(jobsOf('ok')[0]!.streamSeq).toBeGreaterThan(0);
    expect(jobsOf('flaky').map((j) => j.deliveryCount)).toEqual([1, 2, 3]);
    expect(jobsOf('poison')).toHaveLength(1);
    expect(jobsOf('always-fails').map((j) => j.deliveryCount)).toEqual([1, 2, 3]);
    const byCode = Object.fromEntries(dlq.map((d) => [d.error.code, d]));
    expect(Object.keys(byCode).sort()).toEqual([
      'BUS.PAYLOAD_INVALID',
      'HANDLER.FAILED',
      'TEST.INVALID',
    ]);
    expect(byCode['TEST.INVALID']).toMatchObject({
      consumer: 'test-jobs',
      stream: 'MSG_OUT',
      subject: 'msg.out.v1.sms',
      error: { message: 'never works' },
    });
    second = await start('transport-b');
  });

  it('keeps order per key while handling others concurrently', async () => {
    await second.close();
    // Later ones finish faster: without the key they would be seen out of order.
    for (let n = 0; n < 5; n++) await lastValueFrom(client.emit(JOBS, { key: 'ordered', n }));
    await pollUntil(() => jobsOf('ordered').length === 5, { what: 'five ordered jobs' });
    expect(jobsOf('ordered').map((j) => j.n)).toEqual([0, 1, 2, 3, 4]);
    second = await start('transport-b');
  });

  it('answers declared requests with the RpcReply envelope and stable error codes', async () => {
    await expect(client.request(DOUBLE, { a: 21 })).resolves.toEqual({ b: 42 });
    await expect(client.request(DOUBLE, { a: -1 })).rejects.toMatchObject({
      code: 'TEST.NEGATIVE_INVALID',
      message: 'a must be >= 0',
    });
    // An unexpected error reaches the caller as INTERNAL, without its message.
    await expect(client.request(DOUBLE, { a: 13 })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'internal error',
    });
    // The producer refuses its own answer when it breaks the contract.
    await expect(client.request(BROKEN, {})).rejects.toMatchObject({
      code: 'BUS.RESPONSE_INVALID',
    });
    const raw = app.app.get(NatsConnection).connection();
    const reply = await raw.request(DOUBLE.subject, Buffer.from('{"a":"x"}'), { timeout: 2000 });
    expect(JSON.parse(Buffer.from(reply.data).toString())).toMatchObject({
      ok: false,
      error: { code: 'REQUEST.INVALID' },
    });
    const nobody = defineRequest({ ...DOUBLE, subject: 'rpc.v1.test.nobody' });
    await expect(client.request(nobody, { a: 1 }, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'BUS.UNAVAILABLE',
    });
  });

  it('shares requests across instances (one queue group) and is typed as a ClientProxy', async () => {
    await expect(lastValueFrom(client.send(DOUBLE, { a: 2 }))).resolves.toEqual({ b: 4 });
  });

  it('delivers a broadcast to every instance, and drops an invalid one', async () => {
    const raw = app.app.get(NatsConnection).connection();
    raw.publish('typing.v1.x', Buffer.from('{"id":7}'));
    raw.publish('typing.v1.x', Buffer.from('{"id":"p1"}'));
    await pollUntil(
      () => journal(app).pings.includes('p1') && journal(second).pings.includes('p1'),
      { what: 'the broadcast on both instances' },
    );
    expect(journal(app).pings).toEqual(['p1']);
  });

  it('finishes the message in hand before the connection drains on shutdown', async () => {
    const third = await start('transport-c');
    await second.close();
    await app.close();
    await lastValueFrom(third.app.get(BusClient).emit(JOBS, { key: 'slow', n: 1 }));
    await pollUntil(() => journal(third).release !== null, { what: 'the slow job in hand' });
    const closing = third.close();
    journal(third).release!();
    await closing;
    // Acknowledged before the drain: nothing pending, nothing to redeliver.
    app = await start('transport-a');
    second = await start('transport-b');
    const jsm = await app.app.get(NatsConnection).manager();
    const info = await jsm.consumers.info('MSG_OUT', 'test-jobs');
    expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({
      pending: 0,
      unacked: 0,
    });
    expect(dlq.filter((d) => d.payload.includes('slow'))).toEqual([]);
  });
});
