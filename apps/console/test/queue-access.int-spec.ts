import { serveRequest } from '@omnigate/testing';
import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { CustomerContextV1Schema, RouterRequests } from '@omnigate/contracts';
import type { ConversationSummary, CustomerContextV1, MessageView } from '@omnigate/contracts';

import {
  AuditLogRepository,
  ConversationsRepository,
  DbHandle,
  IdentitiesRepository,
  MessagesRepository,
  conversations,
} from '@omnigate/store';
import { errorOf, startConsole, startRouterDouble } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const PW = { alice: 'alice-pw-8f2c91', sam: 'sam-password-77', ada: 'ada-password-12' };

/** A customer who wrote on SMS (their number and mail in the text), in `queue`. */
async function seed(mod: TestingModule, phone: string, queue: 'general' | 'fraud') {
  const link = await mod.get(IdentitiesRepository).link({
    channel: 'sms',
    address: phone,
    coreRef: `C-${randomUUID().slice(0, 8)}`,
    displayName: 'Giulia Bianchi',
    linkMethod: 'bank_verified_phone',
    assurance: 'possession',
  });
  const { conversation } = await mod.get(MessagesRepository).appendInbound({
    customerId: link.customer.id,
    channel: 'sms',
    address: phone,
    ourAddress: '+390212345678',
    kind: 'text',
    body: `Richiamatemi al ${phone} o scrivete a giulia.b@example.it`,
    attachments: [],
    providerMessageId: randomUUID(),
    dedupeKey: `sms:${randomUUID()}`,
    clientMsgId: null,
    receivedAt: new Date(),
  });
  await mod
    .get(DbHandle)
    .db.update(conversations)
    .set({ queue })
    .where(eq(conversations.id, conversation.id));
  return conversation.id;
}

describe('console: roles, queues and masking', () => {
  let h: ConsoleHarness;
  let mod: TestingModule;
  let general: string;
  let fraud: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: Object.entries(PW)
        .map(([id, pw]) => `${id}:${pw}`)
        .join(','),
      CONSOLE_AGENT_QUEUES: 'alice:general',
      CONSOLE_ROLES: 'sam:supervisor,ada:admin',
      CONSOLE_RPC_TIMEOUT_MS: '2000',
    });
    mod = await startRouterDouble(h);
    serveRequest(mod, RouterRequests.getContext, async (req): Promise<CustomerContextV1> => {
      const found = await mod.get(ConversationsRepository).get(req.conversationId);
      const links = await mod.get(IdentitiesRepository).listForCustomer(found!.customer.id);
      return CustomerContextV1Schema.parse({
        customer: { id: found!.customer.id, displayName: 'Giulia Bianchi', verified: true },
        available: true,
        unavailableReason: null,
        linkedChannels: links.map((l) => ({
          channel: l.channel,
          address: l.address,
          assurance: l.assurance,
        })),
        cards: [],
        recentTransactions: [],
        openTickets: [],
      });
    });
    general = await seed(mod, '+393331234567', 'general');
    fraud = await seed(mod, '+393479876543', 'fraud');
    for (const [id, password] of Object.entries(PW)) {
      const res = await h.call('POST', '/api/login', { body: { agentId: id, password } });
      const body = (await res.json()) as { token: string; role: string; queues: string[] };
      tokens[id] = body.token;
    }
  });
  afterAll(async () => {
    await mod?.close();
    await h?.stop();
  });

  const as = (who: keyof typeof PW, method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: tokens[who], body });

  it("puts the role and the agent's queues in the session", async () => {
    const me = async (who: keyof typeof PW) =>
      (await (await as(who, 'GET', '/api/me')).json()) as { role: string; queues: string[] };
    expect(await me('alice')).toMatchObject({ role: 'agent', queues: ['general'] });
    expect(await me('sam')).toMatchObject({
      role: 'supervisor',
      queues: ['fraud', 'onboarding', 'disputes', 'general'],
    });
    expect((await me('ada')).role).toBe('admin');
  });

  it('lists only the conversations of an agent’s queues, all of them for a supervisor', async () => {
    const ids = async (who: keyof typeof PW) =>
      ((await (await as(who, 'GET', '/api/conversations')).json()) as ConversationSummary[]).map(
        (c) => c.id,
      );
    expect(await ids('alice')).toEqual([general]);
    expect((await ids('sam')).sort()).toEqual([general, fraud].sort());
    expect((await ids('ada')).sort()).toEqual([general, fraud].sort());
  });

  it('refuses an agent a conversation outside their queues with 403 and the reason, audited as denied', async () => {
    const e = await errorOf(await as('alice', 'GET', `/api/conversations/${fraud}`));
    expect(e).toEqual({
      status: 403,
      code: 'CONSOLE.QUEUE_FORBIDDEN',
      message: 'this conversation is in the queue fraud, which is not one of yours (general)',
    });
    const audit = await mod.get(AuditLogRepository).recent(20);
    const denied = audit.find((r) => r.actor === 'alice' && r.subject === fraud);
    expect(denied).toMatchObject({
      action: 'conversation.access',
      detail: expect.objectContaining({
        outcome: 'denied',
        role: 'agent',
        code: 'CONSOLE.QUEUE_FORBIDDEN',
        queue: 'fraud',
        route: 'GET /api/conversations/:id',
      }) as unknown,
    });
    expect(denied!.detail).toHaveProperty('ip');
  });

  it.each([
    ['GET', '/context', undefined],
    ['POST', '/messages', { text: 'ciao' }],
    ['POST', '/typing', { state: 'start' }],
    ['POST', '/control', { action: 'take_over' }],
    ['POST', '/cards/card-1/block', { reason: 'lost' }],
    ['POST', '/cards/card-1/unblock', { reason: 'found' }],
    ['POST', '/tickets', { subject: 'x' }],
  ] as const)('refuses an agent %s …%s on a conversation of another queue', async (m, p, body) => {
    const e = await errorOf(await as('alice', m, `/api/conversations/${fraud}${p}`, body));
    expect(e).toMatchObject({ status: 403, code: 'CONSOLE.QUEUE_FORBIDDEN' });
  });

  it("refuses an agent a customer's consents and identities when none of the customer's conversations is in their queues", async () => {
    const customerOf = async (conversationId: string) =>
      (await mod.get(ConversationsRepository).get(conversationId))!.customer.id;
    const theirs = await customerOf(general);
    const other = await customerOf(fraud);
    const refused = await errorOf(await as('alice', 'GET', `/api/customers/${other}/consents`));
    expect(refused).toMatchObject({ status: 403, code: 'CONSOLE.QUEUE_FORBIDDEN' });
    expect(refused.message).toBe('this customer has no conversation in your queues (general)');
    const unlink = await as(
      'alice',
      'DELETE',
      `/api/customers/${other}/identities/${randomUUID()}`,
      {
        reason: 'number given to someone else',
      },
    );
    expect(unlink.status).toBe(403);
    const audit = await mod.get(AuditLogRepository).recent(20);
    expect(audit.find((r) => r.actor === 'alice' && r.action === 'customer.access')).toMatchObject({
      subject: other,
      detail: expect.objectContaining({
        outcome: 'denied',
        code: 'CONSOLE.QUEUE_FORBIDDEN',
      }) as unknown,
    });
    // Her own queue's customer, and any customer for a supervisor: past the guard.
    expect((await as('alice', 'GET', `/api/customers/${theirs}/consents`)).status).not.toBe(403);
    expect((await as('sam', 'GET', `/api/customers/${other}/consents`)).status).not.toBe(403);
  });

  it("refuses an agent a ticket of another queue's conversation, or without naming the conversation", async () => {
    const ticket = randomUUID();
    for (const body of [{ resolution: 'fatto', conversationId: fraud }, { resolution: 'fatto' }]) {
      const e = await errorOf(await as('alice', 'POST', `/api/tickets/${ticket}/resolve`, body));
      expect(e).toMatchObject({ status: 403, code: 'CONSOLE.QUEUE_FORBIDDEN' });
    }
  });

  it('refuses an agent going available for a queue that is not theirs', async () => {
    const e = await errorOf(
      await as('alice', 'PUT', '/api/agents/me/presence', {
        available: true,
        skills: ['general', 'fraud'],
        maxConcurrent: 2,
      }),
    );
    expect(e).toEqual({
      status: 403,
      code: 'CONSOLE.QUEUE_FORBIDDEN',
      message: 'you cannot serve fraud: your queues are general',
    });
  });

  it("masks the customer's phone and email for an agent; a supervisor sees them", async () => {
    const timeline = async (who: keyof typeof PW, id: string) =>
      (await (await as(who, 'GET', `/api/conversations/${id}`)).json()) as {
        conversation: ConversationSummary;
        messages: MessageView[];
      };
    const masked = await timeline('alice', general);
    expect(masked.messages[0]!.text).toBe(
      'Richiamatemi al +39 ••• ••• 4567 o scrivete a g•••@example.it',
    );
    expect(masked.conversation.lastMessagePreview).not.toContain('1234567');
    const clear = await timeline('sam', general);
    expect(clear.messages[0]!.text).toBe(
      'Richiamatemi al +393331234567 o scrivete a giulia.b@example.it',
    );
    const ctx = async (who: keyof typeof PW, id: string) =>
      (await (
        await as(who, 'GET', `/api/conversations/${id}/context`)
      ).json()) as CustomerContextV1;
    expect((await ctx('alice', general)).linkedChannels[0]!.address).toBe('+39 ••• ••• 4567');
    expect((await ctx('sam', fraud)).linkedChannels[0]!.address).toBe('+393479876543');
  });

  it('checks roles from the session: export for dpo, card reveal not for an agent', async () => {
    for (const who of ['alice', 'sam', 'ada'] as const) {
      const e = await errorOf(await as(who, 'GET', `/api/customers/${randomUUID()}/export`));
      expect(e).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    }
    const reveal = await errorOf(
      await as('alice', 'POST', '/api/cards/ref_abcdefghijklmnopabcd/reveal', { reason: 'check' }),
    );
    expect(reveal).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
  });
});
