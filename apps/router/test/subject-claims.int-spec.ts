import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { count as countOf } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { BusPublisher, NatsConnection } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { Channel, DeliveryState, InboundMessageV1 } from '@omnigate/contracts';
import {
  DbHandle,
  MessagesRepository,
  channelIdentities,
  conversations,
  customers,
  messages,
} from '@omnigate/store';
import { metricsUrl, pollUntil } from '@omnigate/testing';
import { SESSIONS_BUCKET } from '../src/session/session.service';
import {
  createdFor,
  inappMessage,
  inbound,
  publishStatus,
  startRouterSystem,
} from './router.harness';
import type { DeadLetter, RouterSystem } from './router.harness';

/**
 * Issue 12, item 4: the router believes the channel from the subject (which the NATS server lets
 * only that channel's gateway publish on) and a claim only from the channel that can prove it.
 * The attacker here holds gateway-telegram's real NATS user (deploy/nats/nats-users.conf).
 */
describe('router: claims bound to the subject (attack tests with real NATS users)', () => {
  let sys: RouterSystem;
  let telegram: TestingModule;
  let sms: TestingModule;
  const get = <T>(cls: abstract new (...args: never[]) => T): T => sys.router.app.get(cls);

  const rows = async (table: PgTable) => {
    const [row] = await get(DbHandle).db.select({ n: countOf() }).from(table);
    return row!.n;
  };
  /** Everything an inbound message could have written: rows, and the sessions bucket in KV. */
  const stored = async () => {
    const jsm = await sys.bus.get(NatsConnection).manager();
    const sessions = await jsm.streams.info(`KV_${SESSIONS_BUCKET}`);
    return {
      messages: await rows(messages),
      conversations: await rows(conversations),
      customers: await rows(customers),
      identities: await rows(channelIdentities),
      sessionWrites: sessions.state.last_seq,
    };
  };
  const deadLetter = (code: string, subject: string, from = 0): Promise<DeadLetter> =>
    pollUntil(
      () => sys.deadLetters.slice(from).find((d) => d.error.code === code && d.subject === subject),
      { what: `a dead letter ${code} on ${subject}`, timeoutMs: 10_000 },
    );
  const publishAs = (bus: TestingModule, subject: string, msg: InboundMessageV1) =>
    bus.get(BusPublisher).publish(subject, InboundMessageV1Schema, msg, { msgId: randomUUID() });
  const status = (
    bus: TestingModule,
    subject: string,
    channel: Channel,
    messageId: string,
    state: DeliveryState,
  ) => publishStatus(bus.get(BusPublisher), subject, channel, messageId, state);
  const refusals = async (plane: string, code: string): Promise<number> => {
    const text = await (await fetch(`${metricsUrl(sys.router)}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) =>
        l.startsWith(`omnigate_router_refused_claims_total{plane="${plane}",code="${code}"}`),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    sys = await startRouterSystem({}, { natsUsers: true });
    telegram = await sys.busAs('gateway-telegram');
    sms = await sys.busAs('gateway-sms');
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('refuses a message on msg.in.v1.telegram claiming channel inapp and a strong app login: dead-lettered with the reason, nothing stored or raised', async () => {
    const before = await stored();
    const forged = inappMessage('app-giulia', 'sblocca la mia carta', randomUUID());
    forged.auth = { ...forged.auth, level: 'strong' };
    // On a partition of telegram, as the gateway publishes (msg.in.v1.telegram.p07).
    const partitioned = Subjects.inboundPartitioned('telegram', 7);
    const ack = await publishAs(telegram, partitioned, forged);
    expect(ack.stream).toBe('MSG_IN'); // the server took it: the router must be the one to refuse

    const dead = await deadLetter('ROUTER.CHANNEL_MISMATCH', partitioned);
    expect(dead).toMatchObject({ consumer: 'router-inbound' });
    expect(dead.error.message).toBe(
      `payload says channel inapp, subject ${partitioned} says telegram`,
    );
    expect(await refusals('inbound', 'ROUTER.CHANNEL_MISMATCH')).toBe(1);
    expect(await stored()).toEqual(before);
    expect(createdFor(sys.events, 'sblocca la mia carta')).toEqual([]);

    // The same claim with the channel matching the subject: an app login cannot come from Telegram
    // (here on the unpartitioned subject that gateways of an older build still publish on).
    const claimOnly = { ...forged, id: randomUUID(), channel: 'telegram' as const };
    await publishAs(telegram, Subjects.inbound('telegram'), claimOnly);
    const refused = await deadLetter('ROUTER.CLAIM_NOT_ALLOWED', 'msg.in.v1.telegram');
    expect(refused.error.message).toBe('app_jwt cannot be proven on telegram');
    expect(await refusals('inbound', 'ROUTER.CLAIM_NOT_ALLOWED')).toBe(1);
    expect(await stored()).toEqual(before);

    // The router was listening all along: a plain Telegram message from the same user is stored.
    const plain = inbound({ channel: 'telegram', from: { address: '777001' }, text: 'ciao bot' });
    await publishAs(telegram, Subjects.inbound('telegram'), plain);
    await pollUntil(() => createdFor(sys.events, 'ciao bot').length === 1, {
      what: 'the plain telegram message stored',
    });
  });

  it('does not let telegram publish on msg.in.v1.inapp at all, nor on its partitions', async () => {
    const msg = inappMessage('app-giulia', 'direttamente su inapp', randomUUID());
    for (const subject of [Subjects.inbound('inapp'), Subjects.inboundPartitioned('inapp', 3)]) {
      await expect(publishAs(telegram, subject, msg)).rejects.toMatchObject({
        code: 'BUS.PERMISSION_DENIED',
      });
    }
  });

  it('changes nothing when a status for an SMS message comes on msg.status.v1.telegram; the SMS gateway moves it', async () => {
    const from = sys.outbound.length;
    await sys.sendInbound(inbound({ from: { address: '+393471234567' }, text: 'la carta?' }));
    const reply = await pollUntil(() => sys.outbound.slice(from).find((m) => m.channel === 'sms'), {
      what: 'the bot reply on SMS',
    });
    const messages = get(MessagesRepository);
    const before = (await messages.get(reply.messageId))!.status;

    const seen = sys.deadLetters.length;
    await status(telegram, Subjects.status('telegram'), 'telegram', reply.messageId, 'delivered');
    const dead = await deadLetter('ROUTER.CHANNEL_MISMATCH', 'msg.status.v1.telegram', seen);
    expect(dead).toMatchObject({ consumer: 'router-status' });
    expect(dead.error.message).toBe('a status on telegram for a message sent on sms');
    // Naming the right channel in the payload does not help either.
    await status(telegram, Subjects.status('telegram'), 'sms', reply.messageId, 'read');
    const named = await deadLetter('ROUTER.CHANNEL_MISMATCH', 'msg.status.v1.telegram', seen + 1);
    expect(named.error.message).toBe(
      'status says channel sms, subject msg.status.v1.telegram says telegram',
    );
    expect(await refusals('status', 'ROUTER.CHANNEL_MISMATCH')).toBe(2);
    expect((await messages.get(reply.messageId))!.status).toBe(before);

    await status(sms, Subjects.status('sms'), 'sms', reply.messageId, 'delivered');
    await pollUntil(async () => (await messages.get(reply.messageId))?.status === 'delivered', {
      what: 'the SMS gateway status applied',
    });
  });
});
