import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { connect } from 'nats';
import type { NatsConnection as RawConnection } from 'nats';
import { CommonEnv, KitModule, busOptionsFrom } from '@omnigate/kit';
import { Subjects } from '@omnigate/contracts';
import { startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import { BusModule, NatsConnection, StreamSweeper, Streams, kvKey } from '@omnigate/bus';
import { SERVICE_PERMISSIONS } from '../../../tools/nats-permissions';

/**
 * The erasure sweep as the router runs it: under deploy/nats/nats-users.conf, as user `router`,
 * it reads streams message by message and erases what the predicate dooms; other messages stay.
 */
const USERS_CONF = join(__dirname, '..', '..', '..', 'deploy', 'nats', 'nats-users.conf');
const passwordEnv = (user: string) => `NATS_PASS_${user.replace(/-/g, '_').toUpperCase()}`;
/** Every deployed user, from the table the users file is generated from (no list to keep). */
const USERS = SERVICE_PERMISSIONS.map((s) => s.user);

// database-incidental: NATS only.

describe('StreamSweeper (erasure of one party from the streams, as user router)', () => {
  const passwords = Object.fromEntries(
    USERS.map((u) => [passwordEnv(u), 'p' + randomBytes(12).toString('hex')]),
  );
  let nats: TestNatsServer;
  let router: TestingModule;
  let admin: RawConnection;

  beforeAll(async () => {
    nats = await startNatsServer({ extraConfig: readFileSync(USERS_CONF, 'utf8'), env: passwords });
    const env = CommonEnv.parse({
      NATS_URL: nats.url,
      NATS_USER: 'router',
      NATS_PASS: passwords[passwordEnv('router')],
    });
    router = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot(busOptionsFrom(env, 'router'))],
      providers: [StreamSweeper],
    }).compile();
    await router.init();
    // What a gateway publishes (inbound, statuses, sealed cards), as gateway-sms.
    admin = await connect({
      servers: nats.url,
      user: 'gateway-sms',
      pass: passwords[passwordEnv('gateway-sms')],
      inboxPrefix: '_INBOX.gateway-sms',
    });
  });
  afterAll(async () => {
    await admin?.close();
    await router?.close();
    await nats?.dispose();
  });

  const rawStream = async (stream: string): Promise<string[]> => {
    const jsm = await router.get(NatsConnection).manager();
    const info = await jsm.streams.info(stream);
    const out: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m) out.push(Buffer.from(m.data).toString('utf8'));
    }
    return out;
  };

  it('erases every message that carries her, keeps the others, and reports what it did', async () => {
    const js = admin.jetstream();
    const hers = (n: number) =>
      JSON.stringify({ from: { address: '+393471234567' }, text: `mio ${n}` });
    const others = (n: number) =>
      JSON.stringify({ from: { address: '+390000000009' }, text: `altro ${n}` });
    for (let n = 0; n < 200; n++) {
      await js.publish(Subjects.inbound('sms'), n % 10 === 0 ? hers(n) : others(n), {
        msgID: randomUUID(),
      });
    }
    const sweeper = router.get(StreamSweeper);
    const report = await sweeper.sweep(Streams.MSG_IN.name, (m) =>
      Buffer.from(m.data).toString('utf8').includes('+393471234567'),
    );
    expect(report).toMatchObject({ stream: 'MSG_IN', scanned: 200, deleted: 20, lastSeq: 200 });
    const left = await rawStream(Streams.MSG_IN.name);
    expect(left).toHaveLength(180);
    expect(left.join('\n')).not.toContain('+393471234567');
    expect(left.join('\n')).not.toContain('"mio ');

    // A second pass from where the first ended reads only what came after (in-flight messages).
    await js.publish(Subjects.inbound('sms'), hers(999), { msgID: randomUUID() });
    const tail = await sweeper.sweep(
      Streams.MSG_IN.name,
      (m) => Buffer.from(m.data).toString('utf8').includes('+393471234567'),
      report.lastSeq + 1,
    );
    expect(tail).toMatchObject({ scanned: 1, deleted: 1, lastSeq: 201 });
    expect((await rawStream(Streams.MSG_IN.name)).join('\n')).not.toContain('mio 999');
  });

  it('reads CARDS without being able to create a consumer on it, and purges a subject', async () => {
    const js = admin.jetstream();
    await js.publish(
      Subjects.sealedCard('sms'),
      JSON.stringify({ ref: 'ref_aaaaaaaaaaaaaaaaaaaa' }),
      {
        msgID: randomUUID(),
      },
    );
    await js.publish(
      Subjects.sealedCard('sms'),
      JSON.stringify({ ref: 'ref_bbbbbbbbbbbbbbbbbbbb' }),
      {
        msgID: randomUUID(),
      },
    );
    const sweeper = router.get(StreamSweeper);
    const r = await sweeper.sweep(Streams.CARDS.name, (m) =>
      Buffer.from(m.data).toString('utf8').includes('ref_aaaaaaaaaaaaaaaaaaaa'),
    );
    expect(r).toMatchObject({ scanned: 2, deleted: 1 });
    expect(await rawStream(Streams.CARDS.name)).toEqual([
      JSON.stringify({ ref: 'ref_bbbbbbbbbbbbbbbbbbbb' }),
    ]);
    const jsm = await router.get(NatsConnection).manager();
    await expect(
      jsm.consumers.add(Streams.CARDS.name, {
        name: 'spy',
        filter_subject: Subjects.sealedCardAll,
      }),
    ).rejects.toThrow(/permission/i);

    const conv = randomUUID();
    const rjs = router.get(NatsConnection).jetstream();
    for (const id of [conv, conv, randomUUID()]) {
      await rjs.publish(Subjects.conversationEvent(id), JSON.stringify({ conversationId: id }));
    }
    expect(
      await sweeper.purgeSubject(Streams.CONV_EVENTS.name, Subjects.conversationEvent(conv)),
    ).toBe(2);
    expect((await rawStream(Streams.CONV_EVENTS.name)).join('\n')).not.toContain(conv);
  });

  it("purges her number from the WhatsApp gateway's 24-hour window (a KV key in the clear); other numbers stay", async () => {
    // No WhatsApp gateway has run yet, so there is no bucket: nothing to purge, and no error.
    expect(
      await router
        .get(StreamSweeper)
        .purgeSubject('KV_whatsapp_window', `$KV.whatsapp_window.${kvKey('+393471234567')}`),
    ).toBe(0);
    const wa = await connect({
      servers: nats.url,
      user: 'gateway-whatsapp',
      pass: passwords[passwordEnv('gateway-whatsapp')],
      inboxPrefix: '_INBOX.gateway-whatsapp',
    });
    try {
      const kv = await wa.jetstream().views.kv('whatsapp_window');
      await kv.put(kvKey('+393471234567'), JSON.stringify(Date.now()));
      await kv.put(kvKey('+393339998877'), JSON.stringify(Date.now()));
      const purged = await router
        .get(StreamSweeper)
        .purgeSubject('KV_whatsapp_window', `$KV.whatsapp_window.${kvKey('+393471234567')}`);
      expect(purged).toBe(1);
      expect(await kv.get(kvKey('+393471234567'))).toBeNull();
      expect(await kv.get(kvKey('+393339998877'))).not.toBeNull();
    } finally {
      await wa.close();
    }
  });

  it('reads a stream of a few thousand messages in seconds (the cost of a sweep is O(messages))', async () => {
    const js = admin.jetstream();
    const body = JSON.stringify({ from: { address: '+390000000009' }, text: 'x'.repeat(400) });
    const N = 3000;
    await Promise.all(
      Array.from({ length: N }, () =>
        js.publish(Subjects.status('sms'), body, { msgID: randomUUID() }),
      ),
    );
    // Reported, not asserted (no timed tests): the README's cost line comes from here.
    const started = process.hrtime.bigint();
    const r = await router.get(StreamSweeper).sweep(Streams.MSG_STATUS.name, () => false);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(r).toMatchObject({ scanned: N, deleted: 0 });
    process.stdout.write(`stream sweep: ${N} messages read in ${ms.toFixed(0)} ms\n`);
  });
});
