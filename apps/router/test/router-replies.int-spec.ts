import { Subjects, RouterRequests } from '@omnigate/contracts';
import type { CustomerContextV1, SendReplyRequestV1 } from '@omnigate/contracts';
import { ConsentsRepository, MessagesRepository, TicketsRepository } from '@omnigate/store';
import { containsPan, pollUntil, streamCount } from '@omnigate/testing';
import { CORE_BANKING_SEED, SEED_IDS } from './core-banking.harness';
import {
  createdFor,
  inappMessage,
  inbound,
  rawConnection,
  startRouterSystem,
} from './router.harness';
import type { MessageCreated, RouterSystem } from './router.harness';

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;
const STRANGER = '+393201234567';

describe('router: agent replies, delivery statuses and the customer context', () => {
  let sys: RouterSystem;
  let giulia: MessageCreated;
  let stranger: MessageCreated;
  let key = 0;
  const repo = <T>(cls: new (...args: never[]) => T): T => sys.router.app.get(cls);
  const reply = (over: Partial<SendReplyRequestV1> & { conversationId: string }) =>
    sys.rpc.request(RouterRequests.sendReply, {
      agentId: 'alice',
      text: 'Buongiorno, la aiutiamo subito',
      idempotencyKey: `k-${++key}`,
      ...over,
    });
  const context = (conversationId: string): Promise<CustomerContextV1> =>
    sys.rpc.request(RouterRequests.getContext, { conversationId });
  const outboundFor = (messageId: string) =>
    pollUntil(() => sys.outbound.find((o) => o.messageId === messageId), {
      what: 'the outbound message',
    });

  beforeAll(async () => {
    // Agents answer here: no bot replies taking seq numbers (the bot is tested in routing.int-spec).
    sys = await startRouterSystem({ ROUTER_BOT_ENABLED: 'false' });
    await sys.sendInbound(
      inbound({ from: { address: GIULIA.phone }, text: 'La carta non funziona' }),
    );
    // She continues in the app after her SMS was received (the router orders a customer's
    // messages by arrival only within one channel; see the store's conversation upsert).
    await pollUntil(() => createdFor(sys.events, 'La carta non funziona')[0], { what: 'the SMS' });
    await sys.sendInbound(inappMessage(GIULIA.appUserId!, 'Scrivo dall’app', 'c-1'));
    await sys.sendInbound(inbound({ from: { address: STRANGER }, text: 'chi siete?' }));
    giulia = (await pollUntil(() => createdFor(sys.events, 'Scrivo dall’app')[0], {
      what: 'Giulia in the app',
    }))!;
    stranger = (await pollUntil(() => createdFor(sys.events, 'chi siete?')[0], {
      what: 'the stranger',
    }))!;
  });
  afterAll(async () => sys?.close());

  it('sends a reply on the channel the customer used last, to her address there', async () => {
    const { message } = await reply({ conversationId: giulia.conversation.id });
    expect(message).toMatchObject({
      direction: 'outbound',
      channel: 'inapp',
      seq: 3,
      author: { kind: 'agent', id: 'alice' },
      status: null,
    });
    const out = await outboundFor(message.id);
    expect(out).toMatchObject({
      channel: 'inapp',
      conversationId: giulia.conversation.id,
      seq: 3,
      to: { address: 'app-giulia' },
      purpose: 'service',
      author: { kind: 'agent', id: 'alice' },
    });
    const created = await pollUntil(() =>
      sys.events.find(
        (e) => e.event.kind === 'message.created' && e.event.message.id === message.id,
      ),
    );
    expect(created.event).toMatchObject({
      conversation: { id: giulia.conversation.id, customer: { displayName: 'Giulia Rossi' } },
    });
  });

  it("sends on the channel the agent chose, to the customer's address on it", async () => {
    const { message } = await reply({
      conversationId: giulia.conversation.id,
      channel: 'sms',
      text: 'Le scriviamo anche via SMS',
    });
    expect(message.channel).toBe('sms');
    expect((await outboundFor(message.id)).to.address).toBe(GIULIA.phone);
  });

  it('is idempotent on the idempotency key: same message, handed to the gateway once', async () => {
    const first = await reply({
      conversationId: giulia.conversation.id,
      idempotencyKey: 'click-42',
    });
    await outboundFor(first.message.id);
    const before = await streamCount(sys.nats.url, 'MSG_OUT');
    const again = await reply({
      conversationId: giulia.conversation.id,
      idempotencyKey: 'click-42',
      text: 'testo diverso',
    });
    expect(again.message).toEqual(first.message);
    expect(await streamCount(sys.nats.url, 'MSG_OUT')).toBe(before);
    await expect(
      reply({ conversationId: stranger.conversation.id, idempotencyKey: 'click-42' }),
    ).rejects.toMatchObject({ code: 'ROUTER.IDEMPOTENCY_KEY_CONFLICT' });
  });

  it('refuses a channel the customer has no address on, and an unknown conversation', async () => {
    await expect(
      reply({ conversationId: giulia.conversation.id, channel: 'telegram' }),
    ).rejects.toMatchObject({ code: 'ROUTER.CHANNEL_NOT_FOUND' });
    await expect(
      reply({ conversationId: stranger.conversation.id, channel: 'inapp' }),
    ).rejects.toMatchObject({ code: 'ROUTER.CHANNEL_NOT_FOUND' });
    await expect(
      reply({ conversationId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'ROUTER.CONVERSATION_NOT_FOUND' });
  });

  it('answers REQUEST.INVALID / REQUEST.MALFORMED to a request that breaks the contract', async () => {
    const ask = async (body: string) =>
      JSON.parse(
        Buffer.from(
          (
            await rawConnection(sys).request(Subjects.rpc.sendReply, Buffer.from(body), {
              timeout: 2000,
            })
          ).data,
        ).toString(),
      ) as unknown;
    expect(
      await ask(
        JSON.stringify({
          conversationId: giulia.conversation.id,
          agentId: 'alice',
          text: '   ',
          idempotencyKey: 'x',
        }),
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REQUEST.INVALID',
        message: 'text: Too small: expected string to have >=1 characters',
      },
    });
    expect(await ask('not json')).toMatchObject({
      ok: false,
      error: { code: 'REQUEST.MALFORMED' },
    });
  });

  it('refuses a reply on the channel where the customer sent STOP (consent), and sends after START', async () => {
    const customerId = giulia.conversation.customer.id;
    const keyword = async (kind: 'optout' | 'optin', text: string) => {
      await sys.sendInbound(inbound({ from: { address: GIULIA.phone }, kind, text }));
      await pollUntil(
        async () => {
          const c = await repo(ConsentsRepository).get(customerId, 'sms', 'service');
          return c?.source === 'keyword' && c.granted === (kind === 'optin');
        },
        { what: `${text} recorded as consent` },
      );
    };
    await keyword('optout', 'STOP');
    const before = sys.outbound.length;
    await expect(
      reply({ conversationId: giulia.conversation.id, channel: 'sms', text: 'dopo lo STOP' }),
    ).rejects.toMatchObject({ code: 'CONSENT.REVOKED' });
    // Another channel of hers is not affected; nothing went out on SMS.
    const { message } = await reply({ conversationId: giulia.conversation.id, channel: 'inapp' });
    await outboundFor(message.id);
    expect(sys.outbound.slice(before).map((o) => o.channel)).toEqual(['inapp']);
    await keyword('optin', 'START');
    const again = await reply({ conversationId: giulia.conversation.id, channel: 'sms' });
    expect((await outboundFor(again.message.id)).channel).toBe('sms');
  });

  it('never puts a card number an agent pasted on the bus or in the database', async () => {
    const { message } = await reply({
      conversationId: giulia.conversation.id,
      text: 'La carta 4111 1111 1111 1111 risulta bloccata',
    });
    const out = await outboundFor(message.id);
    expect(containsPan(out.text, '4111111111111111')).toBe(false);
    expect(out.text).toContain('****1111');
    expect(
      containsPan((await repo(MessagesRepository).get(message.id))!.body, '4111111111111111'),
    ).toBe(false);
  });

  it('moves a reply through queued → sent → delivered and ignores a late sent', async () => {
    const { message } = await reply({
      conversationId: giulia.conversation.id,
      channel: 'sms',
      text: 'stati',
    });
    const statesSeen = () =>
      sys.events.flatMap((e) =>
        e.event.kind === 'message.status' && e.event.messageId === message.id
          ? [e.event.state]
          : [],
      );
    for (const state of ['queued', 'sent', 'delivered'] as const) {
      await sys.sendStatus(message.id, state);
      await pollUntil(() => statesSeen().includes(state), { what: `${state} event` });
    }
    expect((await repo(MessagesRepository).get(message.id))?.status).toBe('delivered');
    await sys.sendStatus(message.id, 'sent');
    await sys.sendStatus(message.id, 'read');
    await pollUntil(() => statesSeen().includes('read'), { what: 'read event' });
    expect(statesSeen()).toEqual(['queued', 'sent', 'delivered', 'read']);
    const history = await repo(MessagesRepository).statusHistory([message.id]);
    expect(history.map((h) => h.state).sort()).toEqual(['delivered', 'queued', 'read', 'sent']);
  });

  it('dead-letters a status for a message it never stored', async () => {
    await sys.sendStatus('00000000-0000-4000-8000-00000000beef', 'delivered');
    const dl = await pollUntil(() => sys.deadLetters.find((d) => d.consumer === 'router-status'), {
      what: 'a dead letter',
    });
    expect(dl.error.code).toBe('ROUTER.MESSAGE_NOT_FOUND');
  });

  it("gives the agent the verified customer's context: channels, fraud-blocked card, transactions, tickets", async () => {
    const customerId = giulia.conversation.customer.id;
    const ticket = await repo(TicketsRepository).open({
      customerId,
      conversationId: giulia.conversation.id,
      subject: 'Carta bloccata dal sistema antifrode',
    });
    const ctx = await context(giulia.conversation.id);
    expect(ctx.customer).toEqual({ id: customerId, displayName: 'Giulia Rossi', verified: true });
    expect(ctx.available).toBe(true);
    expect(ctx.linkedChannels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'sms',
          address: '+39•••••4567',
          assurance: 'possession',
          linkMethod: 'bank_verified_phone',
        }),
        expect.objectContaining({
          channel: 'inapp',
          address: 'ap•••••ia',
          assurance: 'app_session',
          linkMethod: 'app_jwt',
        }),
      ]),
    );
    const blocked = ctx.cards.find((c) => c.id === SEED_IDS.giuliaBlockedCard);
    expect(blocked).toMatchObject({ status: 'blocked', blockedBy: 'fraud_engine' });
    expect(blocked?.blockReason).toContain('QUICKPAY*ELECTRO-DEALS');
    expect(ctx.recentTransactions).toHaveLength(10);
    expect(ctx.recentTransactions[0]?.id).toBe(SEED_IDS.suspiciousTransaction);
    expect(ctx.openTickets).toEqual([
      {
        id: ticket.id,
        subject: 'Carta bloccata dal sistema antifrode',
        status: 'open',
        // A ticket opened without a kind runs no regulatory clock, and no card scheme's.
        kind: 'other',
        jurisdiction: 'IT',
        clock: null,
        cardScheme: null,
        schemeReason: null,
        schemeClock: null,
      },
    ]);
  });

  it('gives an unverified contact no bank data at all', async () => {
    const ctx = await context(stranger.conversation.id);
    expect(ctx).toMatchObject({
      customer: { verified: false },
      available: true,
      cards: [],
      recentTransactions: [],
      openTickets: [],
    });
    expect(ctx.linkedChannels).toEqual([
      {
        channel: 'sms',
        address: '+39•••••4567',
        assurance: 'none',
        linkMethod: 'none',
        identityId: expect.any(String) as string,
      },
    ]);
  });

  it('marks the context unavailable when core banking is down, while messages still flow', async () => {
    await sys.core.setDown(true);
    try {
      const ctx = await pollUntil(
        async () => {
          const c = await context(giulia.conversation.id);
          return !c.available && c;
        },
        { what: 'the context marked unavailable (after the cache expires)' },
      );
      expect(ctx).toMatchObject({
        available: false,
        unavailableReason: 'core banking unavailable',
        cards: [],
        recentTransactions: [],
      });
      expect(ctx.customer.displayName).toBe('Giulia Rossi');
      expect(ctx.linkedChannels).toHaveLength(2);
      await sys.sendInbound(inbound({ from: { address: GIULIA.phone }, text: 'c’è nessuno?' }));
      const [created] = await pollUntil(
        () =>
          createdFor(sys.events, 'c’è nessuno?').length > 0 &&
          createdFor(sys.events, 'c’è nessuno?'),
      );
      expect(created!.conversation.id).toBe(giulia.conversation.id);
      const { message } = await reply({ conversationId: giulia.conversation.id });
      expect(message.channel).toBe('sms');
    } finally {
      await sys.core.setDown(false);
    }
    await pollUntil(async () => (await context(giulia.conversation.id)).available, {
      what: 'the context back',
    });
  });

  it('answers ROUTER.CONVERSATION_NOT_FOUND for the context of an unknown conversation', async () => {
    await expect(context('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'ROUTER.CONVERSATION_NOT_FOUND',
    });
  });
});
