import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { BusModule, BusClient, BusSubscriber } from '@omnigate/bus';
import { ConversationEventV1Schema, Subjects, RouterRequests } from '@omnigate/contracts';
import type { Channel, ConversationEventV1, InboundMessageV1 } from '@omnigate/contracts';
import { KitModule } from '@omnigate/kit';
import { pollUntil, readSubject } from '@omnigate/testing';
import { WITHOUT_BOT, appToken, connect, startSystem } from '../../../test/e2e/system.harness';
import type { System } from '../../../test/e2e/system.harness';

const GIULIA = 'cust-1001';

interface InboxEntry {
  id: string;
  channel: string;
  address: string;
  at: string;
  text: string;
  status: string;
}

/**
 * The simulator against the whole system (real NATS, database, router and gateways; the sandbox
 * as every provider). The agent's replies go through the router's send_reply RPC, the console's
 * own path to it, so these tests do not depend on the console's UI.
 */
// database-incidental: the simulator's round trips through the gateways; what the router stores
// is tested on both databases by the router's and the e2e tests.

describe('customer simulator: round trips through the real gateways', () => {
  let sys: System;
  let probe: TestingModule;
  const events: ConversationEventV1[] = [];
  let key = 0;

  const send = async (body: Record<string, unknown>) => {
    const res = await fetch(`${sys.urls.sandbox}/simulator/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: GIULIA, ...body }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const inbox = async (query: string) => {
    const res = await fetch(`${sys.urls.sandbox}/simulator/api/inbox?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { messages: InboxEntry[]; problems: unknown[] };
  };
  const created = (channel: Channel, text: string) =>
    pollUntil(
      () =>
        events.find(
          (e) =>
            e.event.kind === 'message.created' &&
            e.event.message.channel === channel &&
            e.event.message.text === text,
        ),
      { what: `the ${channel} message on the bus`, timeoutMs: 15_000 },
    );
  const reply = (conversationId: string, channel: Channel, text: string) =>
    probe.get(BusClient).request(RouterRequests.sendReply, {
      conversationId,
      agentId: 'alice',
      text,
      channel,
      idempotencyKey: `sim-${++key}`,
    });
  const received = (query: string, text: string, status?: string) =>
    pollUntil(
      async () =>
        (await inbox(query)).messages.find(
          (m) => m.text === text && (status === undefined || m.status === status),
        ),
      { what: `"${text}" in the simulator inbox`, timeoutMs: 15_000 },
    );

  beforeAll(async () => {
    sys = await startSystem({ skip: ['console'], env: WITHOUT_BOT });
    probe = await Test.createTestingModule({
      imports: [KitModule, BusModule.forRoot({ url: sys.nats.url, name: 'simulator-test' })],
    }).compile();
    await probe.init();
    probe
      .get(BusSubscriber)
      .subscribe(Subjects.conversationEventAll, ConversationEventV1Schema, (e) => {
        events.push(e);
      });
  });
  afterAll(async () => {
    await probe?.close();
    await sys?.stop();
  });

  let conversationId = '';

  it('SMS: the customer writes through the Twilio webhook, the agent’s reply reaches her inbox', async () => {
    const text = 'La mia carta è bloccata';
    const sent = await send({ channel: 'sms', text });
    expect(sent).toEqual({
      status: 202,
      body: expect.objectContaining({
        channel: 'sms',
        address: '+393471234567',
        persona: GIULIA,
        text,
        via: 'webhook',
        gatewayStatus: 200,
        providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/) as unknown,
      }) as unknown,
    });
    // The gateway verified the signature and published it; the router filed it for Giulia.
    const event = await created('sms', text);
    conversationId = event.conversationId;
    if (event.event.kind !== 'message.created') throw new Error('unexpected event');
    expect(event.event.conversation.customer).toMatchObject({
      displayName: 'Giulia Rossi',
      verified: true,
    });
    const onBus = await readSubject<InboundMessageV1>(
      probe,
      'MSG_IN',
      `${Subjects.inbound('sms')}.*`,
    );
    expect(onBus.find((m) => m.providerMessageId === sent.body.providerMessageId)).toMatchObject({
      from: { address: '+393471234567' },
      to: { address: sys.ourNumber },
    });

    await reply(conversationId, 'sms', 'Ciao Giulia, controllo subito.');
    const got = await received(
      `channel=sms&persona=${GIULIA}`,
      'Ciao Giulia, controllo subito.',
      'delivered',
    );
    expect(got).toMatchObject({ channel: 'sms', address: '+393471234567' });
  });

  it('in-app: the app’s socket sends into the same conversation and receives the reply', async () => {
    const text = 'Scrivo anche dall’app';
    const sent = await send({ channel: 'inapp', text });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ channel: 'inapp', address: 'app-giulia', via: 'socket' });
    const event = await created('inapp', text);
    expect(event.conversationId).toBe(conversationId);

    await reply(conversationId, 'inapp', 'Risposta nell’app');
    const got = await received(`channel=inapp&address=app-giulia`, 'Risposta nell’app');
    expect(got).toMatchObject({ channel: 'inapp', address: 'app-giulia', status: 'delivered' });

    // Her whole inbox: both channels, oldest first, nothing she wrote herself.
    const all = await inbox(`persona=${GIULIA}`);
    expect(all.problems).toEqual([]);
    expect(all.messages.map((m) => [m.channel, m.text])).toEqual([
      ['sms', 'Ciao Giulia, controllo subito.'],
      ['inapp', 'Risposta nell’app'],
    ]);
  });

  it('in-app: a reply sent while the simulator had no socket arrives on its first resume', async () => {
    // Marco writes from his real app once (not through the simulator), then closes it.
    const app = await connect(sys.urls.inapp, await appToken(sys, 'app-marco'));
    const ack = (await app
      .timeout(5000)
      .emitWithAck('message', { clientMsgId: 'm-1', text: 'Ho un addebito strano' })) as {
      ok: boolean;
    };
    app.close();
    expect(ack.ok).toBe(true);
    const event = await created('inapp', 'Ho un addebito strano');
    // Nobody is connected as app-marco: the gateway has no one to push to.
    const { message } = await reply(event.conversationId, 'inapp', 'La seguiamo nell’app');
    const got = await received('channel=inapp&persona=cust-1002', 'La seguiamo nell’app');
    expect(got).toMatchObject({ id: message.id, address: 'app-marco', status: 'delivered' });
  });

  it('email: delivered to the gateway’s SMTP listener, the reply arrives at the sink', async () => {
    const text = 'Vi scrivo anche per email';
    const sent = await send({ channel: 'email', text, subject: 'Carta bloccata' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ via: 'smtp', gatewayStatus: 250 });
    // The gateway keeps a first mail's subject as the message's first line.
    const event = await created('email', `Carta bloccata\n\n${text}`);
    expect(event.conversationId).toBe(conversationId);
    await reply(conversationId, 'email', 'Le rispondiamo per email.');
    const got = await pollUntil(
      async () =>
        (await inbox(`channel=email&persona=${GIULIA}`)).messages.find((m) =>
          m.text.includes('Le rispondiamo per email.'),
        ),
      { what: 'the email reply', timeoutMs: 15_000 },
    );
    expect(got).toMatchObject({
      channel: 'email',
      address: 'giulia.rossi@example.it',
      subject: 'Re: Carta bloccata',
    });
    // Her answer goes in the thread (In-Reply-To our mail), so it joins the same conversation.
    expect((await send({ channel: 'email', text: 'Grazie.' })).status).toBe(202);
    expect((await created('email', 'Grazie.')).conversationId).toBe(conversationId);
  });

  it('WhatsApp: a signed webhook in, the Cloud API send out', async () => {
    const text = 'Ciao da WhatsApp';
    const sent = await send({ channel: 'whatsapp', text });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ via: 'webhook', gatewayStatus: 200 });
    const event = await created('whatsapp', text);
    expect(event.conversationId).toBe(conversationId);
    await reply(event.conversationId, 'whatsapp', 'Risposta su WhatsApp');
    const got = await received(`channel=whatsapp&persona=${GIULIA}`, 'Risposta su WhatsApp');
    expect(got.address).toBe('+393471234567');
  });

  it('Telegram: shares her contact (links the chat), writes, reads the bot API send', async () => {
    const shared = await send({ channel: 'telegram', shareContact: true });
    expect(shared.status).toBe(202);
    const text = 'Ciao da Telegram';
    expect((await send({ channel: 'telegram', text })).status).toBe(202);
    const event = await created('telegram', text);
    expect(event.conversationId).toBe(conversationId);
    await reply(event.conversationId, 'telegram', 'Risposta su Telegram');
    const got = await received(`channel=telegram&persona=${GIULIA}`, 'Risposta su Telegram');
    expect(got).toMatchObject({ address: '81234567', status: 'sent' });
  });
});
