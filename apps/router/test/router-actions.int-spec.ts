import { Subjects, RouterRequests } from '@omnigate/contracts';
import type {
  CardActionRequestV1,
  DecideApprovalRequestV1,
  OutboundMessageV1,
  TicketActionRequestV1,
} from '@omnigate/contracts';
import { AuditLogRepository, ConsentsRepository, MessagesRepository } from '@omnigate/store';
import { consumerProgress, pollUntil } from '@omnigate/testing';
import { AssuranceService } from '../src/session/assurance.service';
import { CORE_BANKING_SEED, CORE_KEY, SEED_IDS } from './core-banking.harness';
import {
  createdFor,
  inappMessage,
  inbound,
  rawConnection,
  startRouterSystem,
} from './router.harness';
import type { MessageCreated, RouterSystem } from './router.harness';

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;
const FRAUD_CARD = SEED_IDS.giuliaBlockedCard;
const ALICE = { id: 'alice', role: 'agent' as const };
const SAM = { id: 'sam', role: 'supervisor' as const };

describe('router: agent actions, the fraud-unblock guard, approvals and notifications', () => {
  let sys: RouterSystem;
  let conv: MessageCreated['conversation'];
  let key = 0;
  const get = <T>(cls: new (...args: never[]) => T): T => sys.router.app.get(cls);
  const cardAction = (over: Partial<CardActionRequestV1> = {}) =>
    sys.rpc.request(RouterRequests.cardAction, {
      conversationId: conv.id,
      cardId: FRAUD_CARD,
      action: 'unblock',
      actor: ALICE,
      reason: 'the customer confirms the payment was hers',
      idempotencyKey: `k-${++key}`,
      ...over,
    });
  const decide = (req: DecideApprovalRequestV1) =>
    sys.rpc.request(RouterRequests.decideApproval, req);
  const ticketAction = (req: TicketActionRequestV1) =>
    sys.rpc.request(RouterRequests.ticketAction, req);
  const pending = async () =>
    (await sys.rpc.request(RouterRequests.listApprovals, { status: 'pending' })).approvals.filter(
      (a) => a.kind === 'unblock_card',
    );
  const coreCard = async (cardId: string) => {
    const res = await fetch(`${sys.core.apiUrl}/customers/${SEED_IDS.giulia}/cards`, {
      headers: { authorization: `Bearer ${CORE_KEY}` },
    });
    const body = (await res.json()) as {
      cards: Array<{ id: string; status: string; blockedBy: string | null }>;
    };
    return body.cards.find((c) => c.id === cardId)!;
  };
  const notificationOf = (notificationId: string, channel: string) =>
    pollUntil(
      () =>
        sys.outbound.find(
          (o) => o.author.id === `notify:${notificationId}` && o.channel === channel,
        ),
      { what: `the ${channel} notification` },
    );
  const notices = (code: string) =>
    sys.events.flatMap((e) =>
      e.conversationId === conv.id && e.event.kind === 'notice' && e.event.code === code
        ? [e.event]
        : [],
    );
  const audit = async (action: string) =>
    (await get(AuditLogRepository).recent(200)).filter((a) => a.action === action);
  const raiseToStrong = () =>
    get(AssuranceService).raise(conv.customer.id, {
      level: 'strong',
      reachedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      source: 'step_up',
      channel: 'inapp',
    });

  beforeAll(async () => {
    sys = await startRouterSystem();
    await sys.sendInbound(
      inbound({ from: { address: GIULIA.phone }, text: 'Buongiorno, una domanda' }),
    );
    await pollUntil(() => createdFor(sys.events, 'Buongiorno, una domanda')[0], {
      what: 'the SMS',
    });
    // The app links her app identity (app_session: below the strong level a fraud unblock needs).
    await sys.sendInbound(inappMessage(GIULIA.appUserId!, 'Scrivo dall’app', 'a-1'));
    conv = (
      await pollUntil(() => createdFor(sys.events, 'Scrivo dall’app')[0], {
        what: 'the app message',
      })
    ).conversation;
  });
  afterAll(async () => sys?.close());

  let approvalId = '';

  it("refuses an agent's unblock of a fraud-blocked card without strong assurance, with the code, the reason and a pending approval", async () => {
    const refused = cardAction();
    await expect(refused).rejects.toMatchObject({ code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL' });
    const message = ((await refused.catch((e: Error) => e)) as Error).message;
    const [approval] = await pending();
    expect(approval).toMatchObject({
      target: FRAUD_CARD,
      requestedBy: 'alice',
      status: 'pending',
      conversationId: conv.id,
    });
    approvalId = approval!.id;
    expect(message).toBe(
      'the fraud engine blocked this card; neither a supervisor nor the customer (in the app, ' +
        `for this unblock) has approved it: ask a supervisor (another person) to approve request ` +
        `${approvalId} or ask the customer to approve this unblock in the app (a request naming ` +
        'it was sent)',
    );
    // A retried click asks for the same approval, not a second one.
    await expect(cardAction()).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect((await pending()).map((a) => a.id)).toEqual([approvalId]);
    expect((await coreCard(FRAUD_CARD)).status).toBe('blocked');
    // The customer is asked in the app (step-up), the timeline and the audit trail show the refusal.
    await pollUntil(() => notices('step_up.requested')[0], { what: 'the step-up request' });
    await pollUntil(() => notices('action.refused')[0], { what: 'the refusal notice' });
    const [entry] = await audit('card.unblock.refused');
    expect(entry).toMatchObject({
      actor: 'alice',
      subject: `card:${FRAUD_CARD}`,
      detail: {
        code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
        assurance: 'app_session',
        approvalId,
        role: 'agent',
      },
    });
  });

  it('refuses the approval by the agent who asked for it (ACTION.SAME_PERSON), and by a plain agent', async () => {
    await expect(
      decide({ approvalId, actor: { id: 'alice', role: 'supervisor' }, approve: true }),
    ).rejects.toMatchObject({ code: 'ACTION.SAME_PERSON' });
    await expect(
      decide({ approvalId, actor: { id: 'bob', role: 'agent' }, approve: true }),
    ).rejects.toMatchObject({ code: 'ACTION.APPROVER_FORBIDDEN' });
    expect((await pending()).map((a) => a.id)).toEqual([approvalId]);
  });

  let smsNotification: OutboundMessageV1;

  it("unblocks on another supervisor's approval: core banking shows it, the customer is told in the app and by SMS, statuses come back", async () => {
    const done = await decide({
      approvalId,
      actor: SAM,
      approve: true,
      reason: 'checked with her',
    });
    expect(done.approval).toMatchObject({ status: 'executed', decidedBy: 'sam' });
    expect(done.card).toMatchObject({ id: FRAUD_CARD, status: 'active', blockedBy: null });
    expect(await coreCard(FRAUD_CARD)).toMatchObject({ status: 'active' });
    const inapp = await notificationOf(done.notificationId!, 'inapp');
    const sms = await notificationOf(done.notificationId!, 'sms');
    expect(inapp).toMatchObject({ to: { address: GIULIA.appUserId }, purpose: 'service' });
    expect(sms.to.address).toBe(GIULIA.phone);
    expect(sms.text).toMatch(/^La sua carta che termina con 4821 è stata sbloccata/);
    expect(inapp.text).toBe(sms.text);
    // Stored in the conversation as system messages; the gateways' receipts land on them.
    await sys.sendStatus(inapp.messageId, 'delivered', 'inapp');
    await sys.sendStatus(sms.messageId, 'delivered', 'sms');
    const messages = get(MessagesRepository);
    await pollUntil(async () => (await messages.get(sms.messageId))?.status === 'delivered');
    await pollUntil(async () => (await messages.get(inapp.messageId))?.status === 'delivered');
    expect(await messages.get(sms.messageId)).toMatchObject({
      authorKind: 'system',
      direction: 'outbound',
    });
    await pollUntil(() => notices('card.unblocked')[0], { what: 'the unblock notice' });
    const [unblock] = await audit('card.unblock');
    expect(unblock).toMatchObject({
      actor: 'sam',
      detail: {
        basis: 'approval',
        approvalId,
        assurance: 'app_session',
        blockedBy: 'fraud_engine',
      },
    });
    expect(await audit('approval.approved')).toHaveLength(1);
    await expect(decide({ approvalId, actor: SAM, approve: true })).rejects.toMatchObject({
      code: 'ACTION.APPROVAL_CONFLICT',
    });
  });

  it("refuses a fraud unblock at strong assurance (no licence), and unblocks on the customer's approval of it in the app", async () => {
    await sys.core.control('fraud-block', { customerId: SEED_IDS.giulia, cardId: FRAUD_CARD });
    expect((await coreCard(FRAUD_CARD)).blockedBy).toBe('fraud_engine');
    await raiseToStrong();
    await expect(cardAction({ idempotencyKey: 'strong-0' })).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    // The request the first refusal pushed to her app, still waiting: she approves it.
    const push = sys.outbound.find((o) => o.action?.operation?.action === 'unblock_card')!;
    expect(push.action?.operation).toMatchObject({ card: { last4: '4821' } });
    // "via" is where she wrote last when it was pushed: SMS or the app, by how the earlier tests ran.
    expect(['inapp', 'sms']).toContain(push.action?.operation?.via);
    await sys.rpc.request(RouterRequests.decideStepUp, {
      approvalId: push.action!.approvalId,
      appUserId: GIULIA.appUserId!,
      approve: true,
      assurance: 'strong',
      authenticatedAt: new Date().toISOString(),
      nonce: push.action!.nonce!,
    });
    const done = await cardAction({ idempotencyKey: 'strong-1' });
    expect(done).toMatchObject({ changed: true, basis: 'step_up', card: { status: 'active' } });
    expect((await coreCard(FRAUD_CARD)).status).toBe('active');
    await notificationOf(done.notificationId!, 'inapp');
    smsNotification = await notificationOf(done.notificationId!, 'sms');
    // Retried: already active, nothing done, nobody notified twice.
    expect(await cardAction({ idempotencyKey: 'strong-1' })).toMatchObject({ changed: false });
  });

  it('falls back once to another channel when the SMS notification fails, and not again on a redelivery', async () => {
    await sys.sendStatus(smsNotification.messageId, 'sent', 'sms');
    await sys.sendStatus(smsNotification.messageId, 'failed', 'sms');
    const fallback = await pollUntil(
      () =>
        sys.outbound.find(
          (o) => o.author.id === smsNotification.author.id && o.channel === 'email',
        ),
      { what: 'the fallback notification' },
    );
    expect(fallback).toMatchObject({ to: { address: GIULIA.email }, text: smsNotification.text });
    // The same failure again (a redelivered status) and the fallback failing too: nothing more.
    await sys.sendStatus(smsNotification.messageId, 'failed', 'sms');
    await sys.sendStatus(fallback.messageId, 'failed', 'email');
    const messages = get(MessagesRepository);
    await pollUntil(async () => (await messages.get(fallback.messageId))?.status === 'failed');
    // Every status handled (none pending or unacknowledged) before counting what was sent.
    await pollUntil(async () => {
      const p = await consumerProgress(sys.nats.url, 'MSG_STATUS', 'router-status');
      return p !== null && p.pending === 0 && p.ackPending === 0;
    });
    const stored = (await messages.listAfter(conv.id, 0)).filter(
      (m) => m.authorId === smsNotification.author.id,
    );
    expect(stored.map((m) => m.channel).sort()).toEqual(['email', 'inapp', 'sms']);
  });

  it('lets any agent block a card and unblock a block that is not the fraud engine’s', async () => {
    const card = SEED_IDS.giuliaActiveCard;
    const blocked = await cardAction({ cardId: card, action: 'block', reason: 'lost card' });
    expect(blocked).toMatchObject({ changed: true, basis: 'block', notificationId: null });
    expect(await coreCard(card)).toMatchObject({ status: 'blocked', blockedBy: 'bank' });
    await pollUntil(() => notices('card.blocked')[0], { what: 'the block notice' });
    const unblocked = await cardAction({ cardId: card, actor: { id: 'bob', role: 'agent' } });
    expect(unblocked).toMatchObject({ changed: true, basis: 'not_fraud' });
    expect((await coreCard(card)).status).toBe('active');
    await expect(cardAction({ cardId: 'card-1002-a' })).rejects.toMatchObject({
      code: 'ACTION.CARD_NOT_FOUND',
    });
  });

  it('opens and resolves a ticket, telling the customer the resolution in the app and by SMS', async () => {
    const opened = await ticketAction({
      conversationId: conv.id,
      action: 'open',
      subject: 'Rimborso QUICKPAY',
      actor: ALICE,
    });
    expect(opened.ticket).toMatchObject({ status: 'open', conversationId: conv.id });
    const resolved = await ticketAction({
      action: 'resolve',
      ticketId: opened.ticket.id,
      resolution: 'Il rimborso è stato emesso.',
      actor: ALICE,
    });
    expect(resolved.ticket.status).toBe('closed');
    const sms = await notificationOf(resolved.notificationId!, 'sms');
    await notificationOf(resolved.notificationId!, 'inapp');
    expect(sms.text).toBe(
      'La sua richiesta è stata risolta: Il rimborso è stato emesso.\n' +
        'Risponda a questo messaggio se qualcosa non è ancora chiaro.',
    );
    await pollUntil(() => notices('ticket.resolved')[0], { what: 'the resolution notice' });
    expect(await audit('ticket.resolve')).toHaveLength(1);
    await expect(
      ticketAction({
        action: 'resolve',
        ticketId: opened.ticket.id,
        resolution: 'x',
        actor: ALICE,
      }),
    ).rejects.toMatchObject({ code: 'ACTION.TICKET_CONFLICT' });
  });

  it('writes in English to a customer who wrote in English, and uses another channel at once when there is no app', async () => {
    const oliver = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.oliver)!;
    const text = 'Hi, my card is blocked and I need it today, can you help me please?';
    await sys.sendInbound(inbound({ from: { address: oliver.phone }, text }));
    const conversation = (await pollUntil(() => createdFor(sys.events, text)[0])).conversation;
    // Blocked by the customer himself in the app: no approval needed.
    const done = await cardAction({ conversationId: conversation.id, cardId: 'card-1003-a' });
    expect(done).toMatchObject({ changed: true, basis: 'not_fraud' });
    const sms = await notificationOf(done.notificationId!, 'sms');
    expect(sms).toMatchObject({
      to: { address: oliver.phone },
      text:
        'Your card ending in 5144 has been unblocked and can be used again. ' +
        'If you did not ask for this, contact us straight away.',
    });
    const email = await notificationOf(done.notificationId!, 'email');
    expect(email.to.address).toBe(oliver.email);
    expect(sys.outbound.some((o) => o.author.id === sms.author.id && o.channel === 'inapp')).toBe(
      false,
    );
  });

  it('after a STOP by SMS, tells the customer on another channel, never by SMS', async () => {
    const chiara = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.chiara)!;
    const text = 'Ho una domanda sul mio bonifico';
    await sys.sendInbound(inbound({ from: { address: chiara.phone }, text }));
    const conversation = (await pollUntil(() => createdFor(sys.events, text)[0])).conversation;
    await sys.sendInbound(
      inbound({ from: { address: chiara.phone }, kind: 'optout', text: 'STOP' }),
    );
    await pollUntil(
      async () =>
        (await get(ConsentsRepository).get(conversation.customer.id, 'sms', 'service'))?.granted ===
        false,
      { what: 'the STOP recorded as consent' },
    );
    const opened = await ticketAction({
      conversationId: conversation.id,
      action: 'open',
      subject: 'Bonifico',
      actor: ALICE,
    });
    const resolved = await ticketAction({
      action: 'resolve',
      ticketId: opened.ticket.id,
      resolution: 'Il bonifico è partito.',
      actor: ALICE,
    });
    // No app linked and SMS revoked: the bank's verified email at once, instead of both.
    const email = await notificationOf(resolved.notificationId!, 'email');
    expect(email.to.address).toBe(chiara.email);
    const stored = await get(MessagesRepository).listAfter(conversation.id, 0);
    const author = `notify:${resolved.notificationId!}`;
    expect(stored.filter((m) => m.authorId === author).map((m) => m.channel)).toEqual(['email']);
    expect(sys.outbound.filter((o) => o.author.id === author).map((o) => o.channel)).toEqual([
      'email',
    ]);
  });

  it('answers bad input with REQUEST.INVALID and the reason', async () => {
    const ask = async (subject: string, body: unknown) =>
      JSON.parse(
        Buffer.from(
          (
            await rawConnection(sys).request(subject, Buffer.from(JSON.stringify(body)), {
              timeout: 2000,
            })
          ).data,
        ).toString(),
      ) as unknown;
    expect(
      await ask(Subjects.rpc.cardAction, {
        conversationId: conv.id,
        cardId: FRAUD_CARD,
        action: 'unfreeze',
        actor: ALICE,
        reason: ' ',
        idempotencyKey: 'x',
      }),
    ).toMatchObject({ ok: false, error: { code: 'REQUEST.INVALID' } });
    expect(
      await ask(Subjects.rpc.ticketAction, { action: 'resolve', ticketId: conv.id, actor: ALICE }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'REQUEST.INVALID',
        message: expect.stringContaining(
          'resolving needs a resolution for the customer',
        ) as unknown,
      },
    });
  });
});
