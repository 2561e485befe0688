import type { Socket } from 'socket.io-client';
import { Subjects, inboundOrderKey, partitionOf } from '@omnigate/contracts';
import type { InboundMessageV1, MessageView, SealedCardV1 } from '@omnigate/contracts';
import { BusPublisher, BusSubscriber } from '@omnigate/bus';
import { setLogSink } from '@omnigate/kit';
import type { LogSink, RunningHttpApp } from '@omnigate/kit';
import { containsPan, dumpStreams, pollUntil } from '@omnigate/testing';
import { TypingSignalV1Schema } from '@omnigate/contracts';
import type { TypingSignalV1 } from '@omnigate/contracts';
import {
  SocketPool,
  appToken,
  appendInbound,
  appendOutbound,
  seedCustomer,
  startGateway,
  startInfra,
  streamMessages,
} from './inapp.harness';
import type { Infra } from './inapp.harness';

const PAN = '4111-1111-1111-1111';
/** Every partition of the in-app channel (msg.in.v1.inapp.p07...). */
const INAPP_INBOUND = `${Subjects.inbound('inapp')}.*`;
type Reply = { ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>;

const send = (s: Socket, event: string, payload: unknown) =>
  s.timeout(5000).emitWithAck(event, payload) as Promise<Reply>;

describe('gateway-inapp: messages, resume and typing from the app', () => {
  let infra: Infra;
  let gw: RunningHttpApp;
  const pool = new SocketPool();
  const logs: string[] = [];
  let restoreSink: LogSink;

  beforeAll(async () => {
    restoreSink = setLogSink((line) => logs.push(line));
    infra = await startInfra({ router: true });
    gw = await startGateway(infra, { INAPP_TYPING_THROTTLE_MS: '60000', LOG_LEVEL: 'debug' });
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await gw?.close();
    await infra?.dispose();
    setLogSink(restoreSink);
  });

  it('publishes a message on msg.in.v1.inapp with the card number redacted, after the JetStream ack', async () => {
    const socket = await pool.connect(
      gw.url,
      await appToken('user-msg', { claims: { amr: ['pwd', 'face'] } }),
    );
    const ack = await send(socket, 'message', {
      clientMsgId: 'c-100',
      text: `La mia carta ${PAN} è bloccata / my card is blocked`,
    });
    expect(ack).toEqual({ ok: true, clientMsgId: 'c-100', accepted: true });
    // On the sender's partition (one router instance at a time has her messages, in order).
    const partition = partitionOf(
      inboundOrderKey({ channel: 'inapp', from: { address: 'user-msg' } }),
    );
    const published = await streamMessages<InboundMessageV1>(
      infra,
      'MSG_IN',
      Subjects.inboundPartitioned('inapp', partition),
    );
    const msg = published.find((m) => m.providerMessageId === 'user-msg:c-100');
    expect(msg).toMatchObject({
      channel: 'inapp',
      from: { address: 'user-msg' },
      to: { address: 'app' },
      kind: 'text',
      meta: { clientMsgId: 'c-100' },
      auth: {
        method: 'app_jwt',
        level: 'strong',
        subject: 'user-msg',
        expiresAt: expect.any(String) as unknown,
        authenticatedAt: expect.any(String) as unknown,
      },
      redactions: [
        { brand: 'visa', last4: '1111', token: expect.stringMatching(/^ref_[a-p]+$/) as unknown },
      ],
    });
    expect(msg!.text).toMatch(/^La mia carta \[card visa \*\*\*\*1111 ref_[a-p]+\] è bloccata/);
    // The card went to the vault first, sealed (nothing on any stream shows the number).
    const cards = await streamMessages<SealedCardV1>(infra, 'CARDS', Subjects.sealedCard('inapp'));
    expect(cards.find((c) => c.ref === msg!.redactions[0]!.token)).toMatchObject({
      channel: 'inapp',
      brand: 'visa',
      last4: '1111',
    });
    const raw = await dumpStreams(infra.nats.url, ['MSG_IN', 'CARDS']);
    expect(raw.filter((line) => containsPan(line, PAN))).toEqual([]);
  });

  it('makes a retried clientMsgId idempotent: two ok acks, one message on the stream', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-dup'));
    const first = await send(socket, 'message', { clientMsgId: 'same-id', text: 'ciao' });
    const second = await send(socket, 'message', { clientMsgId: 'same-id', text: 'ciao' });
    expect(first).toEqual({ ok: true, clientMsgId: 'same-id', accepted: true });
    expect(second).toEqual(first);
    const published = await streamMessages<InboundMessageV1>(infra, 'MSG_IN', INAPP_INBOUND);
    expect(published.filter((m) => m.providerMessageId === 'user-dup:same-id')).toHaveLength(1);
  });

  it('ATTACK: a fresh iat does not make a fresh login: the login time is auth_time only', async () => {
    const weekAgo = Math.floor(Date.now() / 1000) - 7 * 86_400;
    // Refreshed a second ago (iat now) for a biometric login of a week ago.
    const refreshed = await pool.connect(
      gw.url,
      await appToken('user-old-login', { claims: { amr: ['face'], auth_time: weekAgo } }),
    );
    // A biometric claim that does not say when the login happened.
    const undated = await pool.connect(
      gw.url,
      await appToken('user-undated', { claims: { amr: ['face'], auth_time: undefined } }),
    );
    await send(refreshed, 'message', { clientMsgId: 'c-old', text: 'ciao' });
    await send(undated, 'message', { clientMsgId: 'c-undated', text: 'ciao' });
    const published = await streamMessages<InboundMessageV1>(infra, 'MSG_IN', INAPP_INBOUND);
    const old = published.find((m) => m.providerMessageId === 'user-old-login:c-old');
    expect(old?.auth).toMatchObject({
      level: 'strong',
      authenticatedAt: new Date(weekAgo * 1000).toISOString(),
    });
    const none = published.find((m) => m.providerMessageId === 'user-undated:c-undated');
    expect(none?.auth).toMatchObject({ method: 'app_jwt', level: 'app_session' });
    expect(none?.auth).not.toHaveProperty('authenticatedAt');
  });

  it.each([
    ['no clientMsgId', { text: 'ciao' }, /clientMsgId/],
    ['an empty text', { clientMsgId: 'c-1', text: '   ' }, /text/],
    ['a text over 4096 characters', { clientMsgId: 'c-1', text: 'x'.repeat(4097) }, /text/],
    [
      'a clientMsgId over 64 characters',
      { clientMsgId: 'c'.repeat(65), text: 'ciao' },
      /clientMsgId/,
    ],
    ['a clientMsgId with spaces', { clientMsgId: 'a b', text: 'ciao' }, /clientMsgId/],
    [
      'a clientMsgId holding a card number',
      { clientMsgId: '4111111111111111', text: 'ciao' },
      /card number/,
    ],
    ['a payload that is not an object', 'ciao', /payload/],
  ])(
    'refuses %s with INAPP.MESSAGE_INVALID and publishes nothing',
    async (_what, payload, reason) => {
      const socket = await pool.connect(gw.url, await appToken('user-bad'));
      const ack = await send(socket, 'message', payload);
      expect(ack).toEqual({
        ok: false,
        error: { code: 'INAPP.MESSAGE_INVALID', message: expect.stringMatching(reason) as unknown },
      });
      const published = await streamMessages<InboundMessageV1>(infra, 'MSG_IN', INAPP_INBOUND);
      expect(published.filter((m) => m.from.address === 'user-bad')).toEqual([]);
    },
  );

  it('answers an invalid event sent without an ack callback with protocol_error', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-noack'));
    const error = new Promise<unknown>((resolve) => socket.once('protocol_error', resolve));
    socket.emit('read', { upToSeq: 'all' });
    expect(await error).toEqual({
      event: 'read',
      code: 'INAPP.RECEIPT_INVALID',
      message: expect.stringMatching(/upToSeq/) as unknown,
    });
  });

  it('resumes after a reconnect with exactly the messages after lastSeq, across channels, oldest first', async () => {
    const seeded = await seedCustomer(infra, 'user-resume', 'uno');
    const conversationId = seeded.conversation.id;
    await appendInbound(infra, seeded.conversation.customerId, 'sms', '+393470000001', 'due (sms)');
    await appendOutbound(infra, conversationId, 'user-resume', 'tre (agent)');

    let socket = await pool.connect(gw.url, await appToken('user-resume'));
    const all = (await send(socket, 'resume', { lastSeq: 0 })) as Reply & {
      conversationId: string;
      messages: MessageView[];
    };
    expect(all).toMatchObject({ ok: true, conversationId, hasMore: false });
    expect(all.messages.map((m) => [m.seq, m.channel, m.direction, m.text])).toEqual([
      [1, 'inapp', 'inbound', 'uno'],
      [2, 'sms', 'inbound', 'due (sms)'],
      [3, 'inapp', 'outbound', 'tre (agent)'],
    ]);
    const lastSeq = all.messages.at(-1)!.seq;
    socket.close();

    await appendOutbound(infra, conversationId, 'user-resume', 'quattro (agent)');
    await appendInbound(
      infra,
      seeded.conversation.customerId,
      'sms',
      '+393470000001',
      'cinque (sms)',
    );
    socket = await pool.connect(gw.url, await appToken('user-resume'));
    const missed = (await send(socket, 'resume', { lastSeq })) as Reply & {
      messages: MessageView[];
    };
    expect(missed.messages.map((m) => [m.seq, m.text])).toEqual([
      [4, 'quattro (agent)'],
      [5, 'cinque (sms)'],
    ]);
    expect(missed.messages.every((m) => m.conversationId === conversationId)).toBe(true);
    expect(
      ((await send(socket, 'resume', { lastSeq: 5 })) as Reply & { messages: MessageView[] })
        .messages,
    ).toEqual([]);
  });

  it('never resumes another customer’s conversation, whatever the app sends: the router decides from the verified JWT', async () => {
    const victim = await seedCustomer(infra, 'user-victim', 'segreto della vittima');
    const own = await seedCustomer(infra, 'user-attacker', 'mio messaggio');
    const forged = {
      lastSeq: 0,
      conversationId: victim.conversation.id,
      appUserId: 'user-victim',
      sub: 'user-victim',
    };
    // A token of the attacker's own, even with claims naming the victim.
    const token = await appToken('user-attacker', {
      claims: { appUserId: 'user-victim', customerId: victim.conversation.customerId },
    });
    const socket = await pool.connect(gw.url, token);
    const page = (await send(socket, 'resume', forged)) as Reply & { messages: MessageView[] };
    expect(page).toMatchObject({ ok: true, conversationId: own.conversation.id });
    expect(page.messages.map((m) => m.text)).toEqual(['mio messaggio']);
    // A user with no link sees nothing at all, not the victim's conversation.
    const stranger = await pool.connect(gw.url, await appToken('user-stranger'));
    expect(await send(stranger, 'resume', forged)).toEqual({
      ok: true,
      conversationId: null,
      messages: [],
      hasMore: false,
    });
  });

  it('resumes to nothing for a user without a conversation, and refuses a bad lastSeq', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-new'));
    expect(await send(socket, 'resume', { lastSeq: 0 })).toEqual({
      ok: true,
      conversationId: null,
      messages: [],
      hasMore: false,
    });
    expect(await send(socket, 'resume', { lastSeq: -1 })).toMatchObject({
      ok: false,
      error: { code: 'INAPP.RESUME_INVALID' },
    });
    expect(await send(socket, 'resume', {})).toMatchObject({
      ok: false,
      error: { code: 'INAPP.RESUME_INVALID' },
    });
  });

  it('relays the customer’s typing throttled, ephemeral, with a stop when the socket goes away', async () => {
    const seeded = await seedCustomer(infra, 'user-typing');
    const conversationId = seeded.conversation.id;
    const seen: TypingSignalV1[] = [];
    const unsubscribe = gw.app
      .get(BusSubscriber)
      .subscribe(Subjects.typing(conversationId), TypingSignalV1Schema, (s) => {
        seen.push(s);
      });
    try {
      const socket = await pool.connect(gw.url, await appToken('user-typing'));
      for (let i = 0; i < 5; i++) {
        expect(await send(socket, 'typing', { state: 'start' })).toEqual({ ok: true });
      }
      await send(socket, 'typing', { state: 'stop' });
      await pollUntil(() => seen.length === 2, { what: 'start and stop' });
      expect(seen).toEqual([
        { conversationId, who: 'customer', state: 'start' },
        { conversationId, who: 'customer', state: 'stop' },
      ]);
      expect(await send(socket, 'typing', { state: 'dancing' })).toMatchObject({
        ok: false,
        error: { code: 'INAPP.TYPING_INVALID' },
      });

      const second = await pool.connect(gw.url, await appToken('user-typing'));
      await send(second, 'typing', { state: 'start' });
      await pollUntil(() => seen.length === 3, { what: 'the second socket’s start' });
      second.close();
      await pollUntil(() => seen.length === 4, { what: 'the stop owed by a socket that left' });
      expect(seen[3]).toEqual({ conversationId, who: 'customer', state: 'stop' });
    } finally {
      unsubscribe();
    }
    const stored = await dumpStreams(infra.nats.url, [
      'MSG_IN',
      'MSG_OUT',
      'MSG_STATUS',
      'CONV_EVENTS',
    ]);
    expect(stored.filter((line) => line.startsWith('typing.'))).toEqual([]);
  });

  it('relays the agent’s typing to the customer’s sockets only', async () => {
    const seeded = await seedCustomer(infra, 'user-agent-typing');
    const conversationId = seeded.conversation.id;
    const mine = await pool.connect(gw.url, await appToken('user-agent-typing'));
    const other = await pool.connect(gw.url, await appToken('user-bystander'));
    const gotMine: unknown[] = [];
    const gotOther: unknown[] = [];
    mine.on('typing', (t: unknown) => gotMine.push(t));
    other.on('typing', (t: unknown) => gotOther.push(t));
    gw.app.get(BusPublisher).publishEphemeral(Subjects.typing(conversationId), {
      conversationId,
      who: 'agent',
      state: 'start',
    });
    await pollUntil(() => gotMine.length === 1, { what: 'the agent typing on the app' });
    expect(gotMine).toEqual([{ conversationId, who: 'agent', state: 'start' }]);
    // The bystander's socket shares the instance: a round trip on it proves nothing was queued for it.
    await send(other, 'resume', { lastSeq: 0 });
    expect(gotOther).toEqual([]);
  });

  it('never logs a card number or a message body', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(
      logs.filter((l) => containsPan(l, PAN) || l.includes('bloccata') || l.includes('ciao')),
    ).toEqual([]);
  });

  it('answers BUS.UNAVAILABLE when NATS is down, so the app sends it again', async () => {
    const socket = await pool.connect(gw.url, await appToken('user-down'));
    await infra.nats.stop();
    try {
      await pollUntil(async () => (await fetch(`${gw.url}/health`)).status === 503, {
        what: 'NATS seen as down',
      });
      const ack = await send(socket, 'message', { clientMsgId: 'c-down', text: 'ciao' });
      expect(ack).toEqual({
        ok: false,
        error: {
          code: 'BUS.UNAVAILABLE',
          message: expect.stringMatching(/same clientMsgId/) as unknown,
        },
      });
    } finally {
      await infra.nats.start();
    }
    await pollUntil(async () => (await fetch(`${gw.url}/health`)).status === 200, {
      what: 'NATS back',
      timeoutMs: 15_000,
    });
    expect(await send(socket, 'message', { clientMsgId: 'c-down', text: 'ciao' })).toEqual({
      ok: true,
      clientMsgId: 'c-down',
      accepted: true,
    });
  });
});
