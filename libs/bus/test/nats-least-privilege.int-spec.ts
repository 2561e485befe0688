import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { connect } from 'nats';
import { z } from 'zod';
import { CommonEnv, KitModule, busOptionsFrom } from '@omnigate/kit';
import {
  ALL_INBOUND_PARTITIONS,
  SealedObjectBuckets,
  Subjects,
  defineRequest,
  partitionToken,
} from '@omnigate/contracts';
import { pollUntil, serveRequest, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  BusConsumers,
  BusModule,
  BusPublisher,
  BusClient,
  DeadLetterReader,
  DeadLetterRedriver,
  KvStore,
  NatsConnection,
  ObjectStoreClient,
  PermanentError,
  Streams,
  startPartitionedConsumer,
} from '@omnigate/bus';
import type { BusOptions, RunningPartitionedConsumer } from '@omnigate/bus';
import { SERVICE_PERMISSIONS } from '../../../tools/nats-permissions';

/**
 * deploy/nats/nats-users.conf (generated from tools/nats-permissions.ts) on a real nats-server:
 * each service connects with its own user, through busOptionsFrom as the apps do, and the server
 * enforces what the table says.
 */
const USERS_CONF = join(__dirname, '..', '..', '..', 'deploy', 'nats', 'nats-users.conf');
/** Every deployed user, from the table the users file is generated from (no list to keep). */
const SERVICES = SERVICE_PERMISSIONS.map((s) => s.user);
const passwordEnv = (user: string) => `NATS_PASS_${user.replace(/-/g, '_').toUpperCase()}`;
const Payload = z.object({ n: z.number() });

describe('least-privilege NATS users (deploy/nats/nats-users.conf)', () => {
  const passwords = Object.fromEntries(
    SERVICES.map((u) => [passwordEnv(u), 'p' + randomBytes(12).toString('hex')]),
  );
  let nats: TestNatsServer;
  const modules: TestingModule[] = [];

  async function busAs(user: string, over: Partial<BusOptions> = {}): Promise<TestingModule> {
    const env = CommonEnv.parse({
      NATS_URL: nats.url,
      NATS_USER: user,
      NATS_PASS: passwords[passwordEnv(user)],
    });
    const mod = await Test.createTestingModule({
      imports: [
        KitModule,
        BusModule.forRoot({ ...busOptionsFrom(env, user), publishTimeoutMs: 2000, ...over }),
      ],
    }).compile();
    modules.push(mod);
    await mod.init();
    return mod;
  }

  let sms: TestingModule;
  let inapp: TestingModule;
  let router: TestingModule;
  let consoleBus: TestingModule;
  let routerInbound: RunningPartitionedConsumer | null = null;

  beforeAll(async () => {
    nats = await startNatsServer({
      extraConfig: readFileSync(USERS_CONF, 'utf8'),
      env: passwords,
    });
  });
  afterAll(async () => {
    await routerInbound?.stop();
    for (const m of modules.reverse()) await m.close().catch(() => undefined);
    await nats?.dispose();
  });

  it('refuses a connection without a user or with a wrong password', async () => {
    await expect(connect({ servers: nats.url })).rejects.toMatchObject({
      code: 'AUTHORIZATION_VIOLATION',
    });
    await expect(
      connect({ servers: nats.url, user: 'gateway-sms', pass: 'not-the-password' }),
    ).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });

  it('does not let a gateway create the streams: started before the router it fails clearly', async () => {
    await expect(busAs('gateway-sms', { streamWaitMs: 0 })).rejects.toMatchObject({
      code: 'BUS.STREAM_MISSING',
    });
  });

  it('lets the router create the streams, after which every service starts', async () => {
    router = await busAs('router');
    const jsm = await router.get(NatsConnection).manager();
    const names: string[] = [];
    for (const s of Object.values(Streams)) {
      names.push((await jsm.streams.info(s.name)).config.name);
    }
    expect(names.sort()).toEqual([
      'CARDS',
      'CONSENT_EVENTS',
      'CONV_EVENTS',
      'CORE_EVENTS',
      'DLQ',
      'MSG_IN',
      'MSG_OUT',
      'MSG_STATUS',
    ]);
    sms = await busAs('gateway-sms');
    inapp = await busAs('gateway-inapp');
    consoleBus = await busAs('console');
    for (const user of ['gateway-telegram', 'gateway-whatsapp', 'gateway-email']) {
      await busAs(user);
    }
  });

  it('lets the SMS gateway publish its own inbound and statuses, and nothing else', async () => {
    const pub = sms.get(BusPublisher);
    const ok = await pub.publish(
      Subjects.inbound('sms'),
      Payload,
      { n: 1 },
      { msgId: randomUUID() },
    );
    expect(ok.stream).toBe('MSG_IN');
    // What the gateway publishes today: its own channel's partitions (msg.in.v1.sms.p05).
    await expect(
      pub.publish(
        Subjects.inboundPartitioned('sms', 5),
        Payload,
        { n: 5 },
        { msgId: randomUUID() },
      ),
    ).resolves.toMatchObject({ stream: 'MSG_IN' });
    const status = await pub.publish(
      Subjects.status('sms'),
      Payload,
      { n: 2 },
      { msgId: randomUUID() },
    );
    expect(status.stream).toBe('MSG_STATUS');
    for (const subject of [
      Subjects.inbound('telegram'),
      Subjects.inboundPartitioned('telegram', 5),
      Subjects.outbound('sms'),
      Subjects.status('email'),
      Subjects.conversationEvent('c1'),
    ]) {
      await expect(
        pub.publish(subject, Payload, { n: 3 }, { msgId: randomUUID() }),
      ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    // Still connected and working after the refusals.
    await expect(
      pub.publish(Subjects.inbound('sms'), Payload, { n: 4 }, { msgId: randomUUID() }),
    ).resolves.toMatchObject({ stream: 'MSG_IN' });
  });

  it('does not let a gateway read another channel inbound, by subscription or by consumer', async () => {
    const nc = sms.get(NatsConnection).connection();
    for (const subject of [Subjects.inbound('telegram'), Subjects.inboundAll, '_INBOX.router.>']) {
      const sub = nc.subscribe(subject);
      await expect(
        (async () => {
          for await (const m of sub) return m;
        })(),
      ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    }
    await expect(
      sms.get(BusConsumers).start({
        stream: Streams.MSG_IN.name,
        durable: 'gateway-sms-send',
        filterSubject: Subjects.inbound('telegram'),
        schema: Payload,
        handle: () => Promise.resolve(),
      }),
    ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    // Nor borrow the router's durable.
    await expect(
      sms.get(NatsConnection).jetstream().consumers.get(Streams.MSG_IN.name, 'router-inbound'),
    ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
  });

  it('lets the router consume every inbound channel and the gateways only their outbound', async () => {
    // As the router reads inbound: a durable per partition, held through a lease in router_leases,
    // and the unpartitioned subjects under the durable router-inbound.
    const seen: number[] = [];
    routerInbound = await startPartitionedConsumer(router.get(NatsConnection), {
      stream: Streams.MSG_IN.name,
      durable: 'router-inbound',
      units: [
        ...ALL_INBOUND_PARTITIONS.map((p) => ({
          id: partitionToken(p),
          filterSubject: Subjects.inboundPartition(p),
        })),
        {
          id: 'unpartitioned',
          filterSubject: Subjects.inboundUnpartitioned,
          fixedName: 'router-inbound',
        },
      ],
      leaseBucket: 'router_leases',
      leaseTermMs: 10_000,
      schema: Payload,
      handle: (p) => {
        seen.push(p.n);
        return Promise.resolve();
      },
    });
    await inapp
      .get(BusPublisher)
      .publish(
        Subjects.inboundPartitioned('inapp', 11),
        Payload,
        { n: 10 },
        { msgId: randomUUID() },
      );
    await pollUntil(() => [1, 4, 5, 10].every((n) => seen.includes(n)), {
      timeoutMs: 10_000,
      what: 'router reading sms and inapp inbound, partitioned and not',
    });
    expect(routerInbound.held()).toHaveLength(ALL_INBOUND_PARTITIONS.length + 1);

    const sent: number[] = [];
    await sms.get(BusConsumers).start({
      stream: Streams.MSG_OUT.name,
      durable: 'gateway-sms-send',
      filterSubject: Subjects.outbound('sms'),
      schema: Payload,
      handle: (p) => {
        sent.push(p.n);
        return Promise.resolve();
      },
    });
    const rpub = router.get(BusPublisher);
    await rpub.publish(Subjects.outbound('telegram'), Payload, { n: 20 }, { msgId: randomUUID() });
    await rpub.publish(Subjects.outbound('sms'), Payload, { n: 21 }, { msgId: randomUUID() });
    await pollUntil(() => sent.includes(21), { timeoutMs: 10_000, what: 'sms outbound' });
    expect(sent).toEqual([21]);
  });

  it('lets a gateway dead-letter what it cannot handle, and the console read the DLQ', async () => {
    await router.get(BusPublisher).publish(
      Subjects.outbound('sms'),
      z.object({ bad: z.string() }),
      { bad: 'x' },
      {
        msgId: randomUUID(),
      },
    );
    const page = await pollUntil(
      async () => {
        const p = await consoleBus.get(DeadLetterReader).recent(10);
        return p.entries.some((e) => e.consumer === 'gateway-sms-send') ? p : undefined;
      },
      { timeoutMs: 10_000, what: 'dead letter from gateway-sms-send' },
    );
    expect(page.entries[0]?.error.code).toBe('BUS.PAYLOAD_INVALID');
  });

  it('does not let the console redrive (attack): no publish on msg.in or msg.status, no DLQ delete; the router and the operator put real dead letters back', async () => {
    const refusing = new Set([40, 41]);
    const handled: number[] = [];
    await router.get(BusConsumers).start({
      stream: Streams.MSG_STATUS.name,
      durable: 'router-status',
      filterSubject: Subjects.statusAll,
      schema: Payload,
      handle: (p) => {
        if (refusing.has(p.n)) throw new PermanentError('PROBE.REFUSED', `refused ${p.n}`);
        handled.push(p.n);
        return Promise.resolve();
      },
    });
    for (const n of [40, 41]) {
      await sms
        .get(BusPublisher)
        .publish(Subjects.status('sms'), Payload, { n }, { msgId: randomUUID() });
    }
    const reader = consoleBus.get(DeadLetterReader);
    const deadIds = async () =>
      (await reader.recent(50)).entries
        .filter((e) => e.consumer === 'router-status')
        .map((e) => e.id)
        .sort((a, b) => a - b);
    const [first, second] = await pollUntil(
      async () => ((await deadIds()).length === 2 ? deadIds() : undefined),
      { timeoutMs: 10_000, what: 'two dead letters of router-status' },
    );

    // The console, taken over, tries to put the message back itself, or to forge one.
    const consolePub = consoleBus.get(BusPublisher);
    for (const subject of [Subjects.inbound('sms'), Subjects.status('sms')]) {
      await expect(
        consolePub.publish(subject, Payload, { n: 40 }, { msgId: randomUUID() }),
      ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    const consoleJsm = await consoleBus.get(NatsConnection).manager();
    await expect(
      consoleJsm.streams.deleteMessage(Streams.DLQ.name, first!, false),
    ).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    await expect(consoleBus.get(DeadLetterRedriver).redrive({ id: first! })).rejects.toMatchObject({
      code: 'BUS.PERMISSION_DENIED',
    });
    expect(await deadIds()).toEqual([first, second]);
    // (The SMS status of an earlier test, n: 2, is handled: nothing else.)
    expect(handled.filter((n) => n >= 40)).toEqual([]);

    // The router (the console's redrive, through rpc.v1.router.redrive_dead_letters) and the
    // operator's CLI may: the original goes back on msg.status.v1.sms and is handled.
    refusing.clear();
    await expect(router.get(DeadLetterRedriver).redrive({ id: first! })).resolves.toEqual([
      { id: first, stream: 'MSG_STATUS', consumer: 'router-status', result: 'redriven' },
    ]);
    await pollUntil(() => handled.includes(40), { timeoutMs: 10_000, what: '40 redriven' });
    const operator = await busAs('operator');
    await expect(
      operator.get(DeadLetterRedriver).redrive({ all: true, stream: Streams.MSG_STATUS.name }),
    ).resolves.toEqual([
      { id: second, stream: 'MSG_STATUS', consumer: 'router-status', result: 'redriven' },
    ]);
    await pollUntil(() => handled.includes(41), { timeoutMs: 10_000, what: '41 redriven' });
    expect(await deadIds()).toEqual([]);
    // The operator is no service: it may neither answer nor ask the router (but for the journey
    // rebuild, tools/journeys-rebuild.ts), nor read a stream.
    await expect(
      operator.get(BusPublisher).publish(
        Subjects.sealedCard('sms'),
        Payload,
        { n: 1 },
        {
          msgId: randomUUID(),
        },
      ),
    ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
  });

  it('lets the router keep sessions in KV and serve RPC to the console only', async () => {
    const bucket = await router.get(KvStore).bucket<{ c: string }>('sessions', 60_000);
    await bucket.put('cust-1', { c: 'conv-1' }, null);
    await expect(bucket.get('cust-1')).resolves.toEqual({ c: 'conv-1' });
    await expect(sms.get(KvStore).bucket('sessions', 60_000)).rejects.toMatchObject({
      code: 'PERMISSIONS_VIOLATION',
    });

    const getContext = defineRequest({
      subject: Subjects.rpc.getContext,
      request: Payload,
      response: Payload,
    });
    await serveRequest(router, getContext, (req) => Promise.resolve({ n: req.n + 1 })).ready;
    await expect(consoleBus.get(BusClient).request(getContext, { n: 1 })).resolves.toEqual({
      n: 2,
    });
    await expect(
      sms.get(BusClient).request(getContext, { n: 1 }, { timeoutMs: 2000 }),
    ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
  });

  it('lets gateway-email seal objects and keep threads, the router take them in, no other gateway', async () => {
    const email = await busAs('gateway-email');
    const objectsOf = (m: TestingModule) => new ObjectStoreClient(m.get(NatsConnection));
    const bucket = SealedObjectBuckets.emailAttachments;
    await (await objectsOf(email).bucket(bucket, 60_000)).put('obj-1', Buffer.from('sealed'));
    const taken = await objectsOf(router).bucket(bucket, 60_000);
    expect((await taken.get('obj-1'))?.toString()).toBe('sealed');
    await taken.delete('obj-1');
    await expect(taken.get('obj-1')).resolves.toBeNull();
    // Another gateway can neither put into the bucket nor read from it.
    const foreign = await objectsOf(sms).bucket(bucket, 60_000);
    await expect(foreign.put('obj-2', Buffer.from('x'))).rejects.toBeDefined();
    await (await objectsOf(email).bucket(bucket, 60_000)).put('obj-3', Buffer.from('sealed'));
    await expect(foreign.get('obj-3')).rejects.toBeDefined();
    const threads = await email.get(KvStore).bucket<string>('email_threads', 60_000);
    await threads.put('mid.x', 'conv-1', null);
    await expect(threads.get('mid.x')).resolves.toBe('conv-1');
    await expect(sms.get(KvStore).bucket('email_threads', 60_000)).rejects.toMatchObject({
      code: 'PERMISSIONS_VIOLATION',
    });
  });

  it('serves the app history to gateway-inapp only, never to another gateway', async () => {
    const appHistory = defineRequest({
      subject: Subjects.rpc.appHistory,
      request: Payload,
      response: Payload,
    });
    await serveRequest(router, appHistory, (req) => Promise.resolve({ n: req.n })).ready;
    await expect(inapp.get(BusClient).request(appHistory, { n: 7 })).resolves.toEqual({ n: 7 });
    await expect(
      sms.get(BusClient).request(appHistory, { n: 7 }, { timeoutMs: 2000 }),
    ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
  });

  it('lets the console ask the router for consents and erasure but not announce a consent change itself', async () => {
    for (const subject of [Subjects.rpc.setCustomerConsents, Subjects.rpc.eraseCustomer]) {
      const decl = defineRequest({ subject, request: Payload, response: Payload });
      await serveRequest(router, decl, (req) => Promise.resolve({ n: req.n })).ready;
      await expect(consoleBus.get(BusClient).request(decl, { n: 5 })).resolves.toEqual({ n: 5 });
      await expect(
        inapp.get(BusClient).request(decl, { n: 5 }, { timeoutMs: 2000 }),
      ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    // Only the router tells the gateways: the console's user may not publish a consent event.
    await expect(
      consoleBus
        .get(BusPublisher)
        .publish(Subjects.consentChanged('sms'), Payload, { n: 6 }, { msgId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
  });
});
