import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { nanos } from 'nats';
import { KitModule } from '@omnigate/kit';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  BusModule,
  NatsConnection,
  Streams,
  ensureStreams,
  streamsWithMaxAge,
} from '@omnigate/bus';

const DAY = 86_400_000;

describe('stream max_age from configuration (JetStream purges what outlived its window)', () => {
  let nats: TestNatsServer;
  let mod: TestingModule;
  let conn: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    mod = await Test.createTestingModule({
      imports: [
        KitModule,
        BusModule.forRoot({
          url: nats.url,
          name: 'retention-test',
          streamMaxAgeMs: { CONV_EVENTS: 1000, DLQ: 45 * DAY },
        }),
      ],
    }).compile();
    await mod.init();
    conn = mod.get(NatsConnection);
  });
  afterAll(async () => {
    await mod?.close();
    await nats?.dispose();
  });

  it('gives each stream its configured max_age, the defaults elsewhere', async () => {
    const jsm = await conn.manager();
    const maxAge = async (name: string) => (await jsm.streams.info(name)).config.max_age;
    expect(await maxAge('CONV_EVENTS')).toBe(nanos(1000));
    expect(await maxAge('DLQ')).toBe(nanos(45 * DAY));
    expect(await maxAge('MSG_IN')).toBe(nanos(7 * DAY));
    expect(await maxAge('MSG_OUT')).toBe(nanos(Streams.MSG_OUT.maxAgeMs));
    expect(await maxAge('MSG_STATUS')).toBe(nanos(7 * DAY));
    // A dedupe window longer than max_age is refused by JetStream: it is capped.
    expect((await jsm.streams.info('CONV_EVENTS')).config.duplicate_window).toBe(nanos(1000));
  });

  it('updates an existing stream whose max_age differs; declaring again leaves it as is', async () => {
    const jsm = await conn.manager();
    await ensureStreams(jsm, streamsWithMaxAge({ CONV_EVENTS: 1000, DLQ: 10 * DAY }));
    expect((await jsm.streams.info('DLQ')).config.max_age).toBe(nanos(10 * DAY));
    const before = await jsm.streams.info('MSG_IN');
    await ensureStreams(jsm, streamsWithMaxAge({ CONV_EVENTS: 1000, DLQ: 10 * DAY }));
    expect((await jsm.streams.info('MSG_IN')).config).toEqual(before.config);
  });

  it('drops a message once it is older than max_age', async () => {
    const js = conn.jetstream();
    const jsm = await conn.manager();
    const ack = await js.publish('conv.v1.retention-test.event', new TextEncoder().encode('{}'));
    expect(ack.stream).toBe('CONV_EVENTS');
    // It was stored...
    expect((await jsm.streams.getMessage('CONV_EVENTS', { seq: ack.seq })).seq).toBe(ack.seq);
    // ...and JetStream removes it after its max_age (1 s), with nobody consuming it.
    await pollUntil(
      async () => ((await jsm.streams.info('CONV_EVENTS')).state.messages === 0 ? true : undefined),
      { what: 'the expired message to be purged', timeoutMs: 15_000, intervalMs: 200 },
    );
    await expect(jsm.streams.getMessage('CONV_EVENTS', { seq: ack.seq })).rejects.toThrow();
  });
});
