import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { BusClient, BusSubscriber } from '@omnigate/bus';
import type { RunningResponder } from '@omnigate/bus';
import {
  ConversationSummarySchema,
  CustomerContextV1Schema,
  MessageViewSchema,
  Subjects,
  RouterRequests,
} from '@omnigate/contracts';
import type {
  CustomerContextV1,
  GetContextRequestV1,
  MessageView,
  SendReplyRequestV1,
  SendReplyResponseV1,
} from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import {
  ConversationRoutingRepository,
  ConversationsRepository,
  IdentitiesRepository,
  MessagesRepository,
  toMessageView,
} from '@omnigate/store';
import { pollUntil, serveRequest } from '@omnigate/testing';
import { TypingSignalV1Schema } from '@omnigate/contracts';
import type { TypingSignalV1 } from '@omnigate/contracts';
import { errorOf, startConsole, startRouterDouble } from './console.harness';
import type { ConsoleHarness } from './console.harness';
import { seedClosedConversation, seedTwoChannelConversation } from './conversations.seed';

const RPC_TIMEOUT_MS = 400;
const Timeline = z.object({
  conversation: ConversationSummarySchema,
  messages: z.array(MessageViewSchema),
  statusHistory: z.record(
    z.string(),
    z.array(
      z.object({
        state: z.string(),
        at: z.string(),
        error: z.object({ code: z.string(), reason: z.string() }).optional(),
      }),
    ),
  ),
});
type Timeline = z.infer<typeof Timeline>;

/**
 * Stand-in for the router's RPC side (the real router is another app): validates with the real
 * contract schemas and answers from the same database, with the router's error codes.
 */
class RouterDouble {
  readonly replies: SendReplyRequestV1[] = [];
  /** Conversations whose context answer is late (timeout) or breaks the contract. */
  readonly slow = new Set<string>();
  readonly broken = new Set<string>();
  private subs: RunningResponder[] = [];

  constructor(private readonly mod: TestingModule) {}

  start(): void {
    this.subs = [
      serveRequest(this.mod, RouterRequests.sendReply, (req) => this.sendReply(req)),
      serveRequest(this.mod, RouterRequests.getContext, (req) => this.getContext(req)),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.subs.splice(0).map((s) => s.stop()));
  }

  private async sendReply(req: SendReplyRequestV1): Promise<SendReplyResponseV1> {
    this.replies.push(req);
    const found = await this.mod.get(ConversationsRepository).get(req.conversationId);
    if (!found) {
      throw new AppError(
        'ROUTER.CONVERSATION_NOT_FOUND',
        `conversation ${req.conversationId} not found`,
      );
    }
    const channel = req.channel ?? found.conversation.lastChannel;
    if (!found.conversation.channels.includes(channel)) {
      throw new AppError('ROUTER.CHANNEL_NOT_FOUND', `no ${channel} address for this customer`);
    }
    const stored = await this.mod.get(MessagesRepository).appendOutbound({
      conversationId: req.conversationId,
      channel,
      address: found.conversation.lastAddress,
      body: req.text,
      authorKind: 'agent',
      authorId: req.agentId,
      dedupeKey: `reply:${req.idempotencyKey}`,
    });
    return { message: toMessageView(stored.message) };
  }

  private async getContext(req: GetContextRequestV1): Promise<CustomerContextV1> {
    if (this.slow.has(req.conversationId)) {
      await new Promise((r) => setTimeout(r, RPC_TIMEOUT_MS * 2));
      throw new AppError('ROUTER.CONVERSATION_NOT_FOUND', 'answered too late');
    }
    if (this.broken.has(req.conversationId)) {
      return { customer: 'not a customer' } as unknown as CustomerContextV1;
    }
    const found = await this.mod.get(ConversationsRepository).get(req.conversationId);
    if (!found) {
      throw new AppError(
        'ROUTER.CONVERSATION_NOT_FOUND',
        `conversation ${req.conversationId} not found`,
      );
    }
    const links = await this.mod.get(IdentitiesRepository).listForCustomer(found.customer.id);
    return CustomerContextV1Schema.parse({
      customer: {
        id: found.customer.id,
        displayName: found.customer.displayName,
        verified: found.customer.kind === 'customer',
      },
      available: true,
      unavailableReason: null,
      linkedChannels: links.map((l) => ({
        channel: l.channel,
        address: l.address,
        assurance: l.assurance,
      })),
      cards: [
        {
          id: 'card-1',
          brand: 'visa',
          last4: '4242',
          status: 'blocked',
          blockReason: 'suspicious payment',
          blockedBy: 'fraud_engine',
        },
      ],
      recentTransactions: [],
      openTickets: [],
    });
  }
}

describe('console: conversations, timeline, context and replies', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let router: RouterDouble;
  let token: string;
  let giulia: {
    conversationId: string;
    smsReplyId: string;
    failedReplyId: string;
    inboundIds: string[];
  };
  let closedId: string;

  beforeAll(async () => {
    h = await startConsole({ CONSOLE_RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) });
    mod = await startRouterDouble(h);
    router = new RouterDouble(mod);
    router.start();
    giulia = await seedTwoChannelConversation(mod);
    closedId = await seedClosedConversation(mod);
    token = await h.login('alice');
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  const get = (path: string) => h.call('GET', path, { token });
  const post = (path: string, body: unknown) => h.call('POST', path, { token, body });

  describe('GET /api/conversations', () => {
    it('lists open conversations by default, newest activity first, with the customer', async () => {
      const res = await get('/api/conversations');
      expect(res.status).toBe(200);
      const list = z.array(ConversationSummarySchema).parse(await res.json());
      expect(list.map((c) => c.id)).toEqual([giulia.conversationId]);
      expect(list[0]).toMatchObject({
        status: 'open',
        customer: { displayName: 'Giulia Bianchi', verified: true },
        channels: ['sms', 'inapp'],
      });
    });

    it('filters by status and limits', async () => {
      const all = z
        .array(ConversationSummarySchema)
        .parse(await (await get('/api/conversations?status=all')).json());
      expect(all.map((c) => c.id)).toEqual([giulia.conversationId, closedId]);
      expect(all[1]!.customer.verified).toBe(false);
      const closed = z
        .array(ConversationSummarySchema)
        .parse(await (await get('/api/conversations?status=closed')).json());
      expect(closed.map((c) => c.id)).toEqual([closedId]);
      const one = (await (await get('/api/conversations?status=all&limit=1')).json()) as unknown[];
      expect(one).toHaveLength(1);
    });

    it('sorts by priority on request: top priority first, then the longest waiting', async () => {
      await mod.get(ConversationRoutingRepository).update(closedId, { priority: 1 });
      const list = z
        .array(ConversationSummarySchema)
        .parse(await (await get('/api/conversations?status=all&sort=priority')).json());
      expect(list.map((c) => [c.id, c.priority])).toEqual([
        [closedId, 1],
        [giulia.conversationId, 3],
      ]);
    });

    it.each([
      ['sort=urgent', 'query sort'],
      ['status=archived', 'query status'],
      ['limit=0', 'query limit'],
      ['limit=abc', 'query limit'],
      ['limit=1000', 'query limit'],
    ])('refuses %s with 400 and the reason', async (qs, reason) => {
      const e = await errorOf(await get(`/api/conversations?${qs}`));
      expect(e.status).toBe(400);
      expect(e.code).toBe('REQUEST.INVALID');
      expect(e.message).toContain(reason);
    });
  });

  describe('GET /api/conversations/:id', () => {
    it('returns the whole timeline across channels, oldest first, with statuses and their history', async () => {
      const res = await get(`/api/conversations/${giulia.conversationId}`);
      expect(res.status).toBe(200);
      const t: Timeline = Timeline.parse(await res.json());
      expect(t.conversation.id).toBe(giulia.conversationId);
      expect(t.messages.map((m) => [m.seq, m.channel, m.direction, m.status])).toEqual([
        [1, 'sms', 'inbound', null],
        [2, 'inapp', 'inbound', null],
        [3, 'sms', 'outbound', 'delivered'],
        [4, 'inapp', 'outbound', 'failed'],
      ]);
      expect(t.messages[0]!.text).toBe('La mia carta è bloccata');
      expect(t.messages[3]!.statusError).toEqual({
        code: 'INAPP.NO_DEVICE',
        reason: 'no device connected',
      });
      expect(t.statusHistory[giulia.smsReplyId]!.map((s) => s.state)).toEqual([
        'queued',
        'sent',
        'delivered',
      ]);
      expect(t.statusHistory[giulia.failedReplyId]).toEqual([
        { state: 'queued', at: '2025-03-01T10:05:00.000Z' },
        {
          state: 'failed',
          at: '2025-03-01T10:05:02.000Z',
          error: { code: 'INAPP.NO_DEVICE', reason: 'no device connected' },
        },
      ]);
      for (const id of giulia.inboundIds) expect(t.statusHistory[id]).toBeUndefined();
    });

    it('answers 404 CONSOLE.CONVERSATION_NOT_FOUND for an unknown id', async () => {
      const e = await errorOf(await get(`/api/conversations/${randomUUID()}`));
      expect(e).toMatchObject({ status: 404, code: 'CONSOLE.CONVERSATION_NOT_FOUND' });
    });

    it('answers 400 for a malformed id, here and on every route under it', async () => {
      const e = await errorOf(await get('/api/conversations/not-a-uuid'));
      expect(e).toEqual({
        status: 400,
        code: 'REQUEST.INVALID',
        message: 'param id: must be a conversation id (a UUID)',
      });
      expect((await get('/api/conversations/123/context')).status).toBe(400);
      expect((await post('/api/conversations/123/messages', { text: 'ciao' })).status).toBe(400);
      expect((await post('/api/conversations/123/typing', { state: 'start' })).status).toBe(400);
    });
  });

  describe('GET /api/conversations/:id/context', () => {
    it("returns the router's customer context", async () => {
      const res = await get(`/api/conversations/${giulia.conversationId}/context`);
      expect(res.status).toBe(200);
      const ctx = CustomerContextV1Schema.parse(await res.json());
      expect(ctx.customer.displayName).toBe('Giulia Bianchi');
      expect(ctx.linkedChannels.map((l) => l.channel).sort()).toEqual(['inapp', 'sms']);
      expect(ctx.cards[0]).toMatchObject({ status: 'blocked', blockedBy: 'fraud_engine' });
    });

    it("keeps the router's not-found code (404)", async () => {
      const e = await errorOf(await get(`/api/conversations/${randomUUID()}/context`));
      expect(e).toMatchObject({ status: 404, code: 'ROUTER.CONVERSATION_NOT_FOUND' });
    });

    it('answers 503 BUS.UNAVAILABLE when the router is too slow', async () => {
      const id = randomUUID();
      router.slow.add(id);
      const e = await errorOf(await get(`/api/conversations/${id}/context`));
      expect(e).toEqual({
        status: 503,
        code: 'BUS.UNAVAILABLE',
        message: 'the router did not answer; try again',
      });
    });

    it("answers 500 (not 400) when the router's answer breaks the contract", async () => {
      const id = randomUUID();
      router.broken.add(id);
      const e = await errorOf(await get(`/api/conversations/${id}/context`));
      expect(e).toMatchObject({ status: 500, code: 'CONSOLE.ROUTER_ANSWER_UNREADABLE' });
    });
  });

  describe('POST /api/conversations/:id/messages', () => {
    it('sends the reply through the router with the agent from the token and a generated idempotency key → 201', async () => {
      const res = await post(`/api/conversations/${giulia.conversationId}/messages`, {
        text: 'Ciao Giulia, controllo subito.',
      });
      expect(res.status).toBe(201);
      const { message } = z.object({ message: MessageViewSchema }).parse(await res.json());
      expect(message).toMatchObject({
        channel: 'inapp',
        direction: 'outbound',
        author: { kind: 'agent', id: 'alice' },
        text: 'Ciao Giulia, controllo subito.',
      });
      const sent = router.replies[router.replies.length - 1]!;
      expect(sent).toMatchObject({
        conversationId: giulia.conversationId,
        agentId: 'alice',
        text: 'Ciao Giulia, controllo subito.',
      });
      expect(sent.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent.channel).toBeUndefined();
      const t = Timeline.parse(
        await (await get(`/api/conversations/${giulia.conversationId}`)).json(),
      );
      expect(t.messages[t.messages.length - 1]!.id).toBe(message.id);
    });

    it("takes the agent's channel and idempotency key: a retried click stores one reply", async () => {
      const body = {
        text: 'Le scrivo anche via SMS.',
        channel: 'sms',
        idempotencyKey: `click-${randomUUID()}`,
      };
      const first = (await (
        await post(`/api/conversations/${giulia.conversationId}/messages`, body)
      ).json()) as { message: MessageView };
      const again = await post(`/api/conversations/${giulia.conversationId}/messages`, body);
      expect(again.status).toBe(201);
      const second = (await again.json()) as { message: MessageView };
      expect(second.message.id).toBe(first.message.id);
      expect(first.message.channel).toBe('sms');
      expect(router.replies.slice(-2).map((r) => r.idempotencyKey)).toEqual([
        body.idempotencyKey,
        body.idempotencyKey,
      ]);
    });

    it('ignores an agentId in the body: the author is always the token holder', async () => {
      const bob = await h.login('bob');
      const res = await h.call('POST', `/api/conversations/${giulia.conversationId}/messages`, {
        token: bob,
        body: { text: 'Sono Bob', agentId: 'alice' },
      });
      expect(res.status).toBe(201);
      expect(router.replies[router.replies.length - 1]!.agentId).toBe('bob');
    });

    it.each([
      ['no text', {}, 'body text'],
      ['blank text', { text: '   ' }, 'body text'],
      ['text over 4096 characters', { text: 'x'.repeat(4097) }, 'body text'],
      ['an unknown channel', { text: 'ciao', channel: 'fax' }, 'body channel'],
      ['an empty idempotency key', { text: 'ciao', idempotencyKey: '' }, 'body idempotencyKey'],
    ])(
      'refuses %s with 400 and the reason, without calling the router',
      async (_label, body, reason) => {
        const before = router.replies.length;
        const e = await errorOf(
          await post(`/api/conversations/${giulia.conversationId}/messages`, body),
        );
        expect(e.status).toBe(400);
        expect(e.code).toBe('REQUEST.INVALID');
        expect(e.message).toContain(reason);
        expect(router.replies.length).toBe(before);
      },
    );

    it("maps the router's codes: unknown conversation and unknown channel → 404", async () => {
      const conv = await errorOf(
        await post(`/api/conversations/${randomUUID()}/messages`, { text: 'ciao' }),
      );
      expect(conv).toMatchObject({ status: 404, code: 'ROUTER.CONVERSATION_NOT_FOUND' });
      const ch = await errorOf(
        await post(`/api/conversations/${giulia.conversationId}/messages`, {
          text: 'ciao',
          channel: 'telegram',
        }),
      );
      expect(ch).toMatchObject({ status: 404, code: 'ROUTER.CHANNEL_NOT_FOUND' });
    });

    it('answers 503 BUS.UNAVAILABLE in words an agent understands when no router is there', async () => {
      await router.stop();
      try {
        const e = await errorOf(
          await post(`/api/conversations/${giulia.conversationId}/messages`, { text: 'ciao' }),
        );
        expect(e).toEqual({
          status: 503,
          code: 'BUS.UNAVAILABLE',
          message: 'the router did not answer; try again',
        });
      } finally {
        router.start();
      }
    });
  });

  describe('POST /api/conversations/:id/typing', () => {
    it('publishes the agent typing signal on typing.v1.<id>', async () => {
      const seen: TypingSignalV1[] = [];
      const unsubscribe = mod
        .get(BusSubscriber)
        .subscribe(Subjects.typing(giulia.conversationId), TypingSignalV1Schema, (s) => {
          seen.push(s);
        });
      // Core NATS: make sure the subscription reached the server before publishing.
      await mod
        .get(BusClient)
        .request(RouterRequests.getContext, { conversationId: giulia.conversationId });
      try {
        const res = await post(`/api/conversations/${giulia.conversationId}/typing`, {
          state: 'start',
        });
        expect(res.status).toBe(204);
        await pollUntil(() => seen.length === 1, { what: 'the typing signal on the bus' });
        expect(seen[0]).toEqual({
          conversationId: giulia.conversationId,
          who: 'agent',
          state: 'start',
        });
      } finally {
        unsubscribe();
      }
    });

    it('refuses an unknown state with 400', async () => {
      const e = await errorOf(
        await post(`/api/conversations/${giulia.conversationId}/typing`, { state: 'thinking' }),
      );
      expect(e).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
      expect(e.message).toContain('body state');
    });
  });

  it('never logs message text', () => {
    const all = h.logs.join('\n');
    for (const text of ['La mia carta è bloccata', 'Ciao Giulia', 'Sono Bob']) {
      expect(all).not.toContain(text);
    }
  });
});
