import { RouterRequests } from '@omnigate/contracts';
import type {
  CardActionRequestV1,
  DecideStepUpRequestV1,
  InboundMessageV1,
  OutboundMessageV1,
} from '@omnigate/contracts';
import { AuditLogRepository, StepUpApprovalsRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { AssuranceService } from '../src/session/assurance.service';
import { StepUpService } from '../src/identity/step-up.service';
import { CORE_BANKING_SEED, CORE_KEY, SEED_IDS } from './core-banking.harness';
import { inappMessage, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;
const LUCA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.luca)!;
const FRAUD_CARD = SEED_IDS.giuliaBlockedCard; // visa •••• 4821, blocked by the fraud engine
const OTHER_CARD = SEED_IDS.giuliaActiveCard; // mastercard •••• 7702
const ALICE = { id: 'alice', role: 'agent' as const };
// Long enough to answer on a loaded machine, short enough to wait out.
const STEP_UP_TTL_MS = 8000;

type StepUpAction = NonNullable<OutboundMessageV1['action']>;

/**
 * Issue 13 item 2, step-up with dynamic linking. The attacks: (a) a fraudster on a linked channel
 * asks an agent to unblock a fraud-blocked card and the real customer taps approve; (b) an
 * approval replayed, answered without its nonce, or used after it lapsed; (c) a strong in-app
 * login taken for a licence on the other channels.
 */
describe('router: step-up bound to one action, and assurance that stays where it was proven', () => {
  let sys: RouterSystem;
  let n = 0;
  const get = <T>(cls: abstract new (...args: never[]) => T): T => sys.router.app.get(cls);

  /** Sends and waits until stored; returns the conversation and customer ids. */
  const send = async (msg: InboundMessageV1) => {
    const from = sys.events.length;
    await sys.sendInbound(msg);
    const e = await pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((x) => x.event)
          .find((x) => x.kind === 'message.created' && x.message.text === msg.text),
      { what: 'the stored message' },
    );
    if (e.kind !== 'message.created') throw new Error('unreachable');
    return { conversationId: e.conversation.id, customerId: e.conversation.customer.id };
  };
  const strongAppMessage = (appUserId: string, authenticatedAt = new Date()) => {
    const m = inappMessage(appUserId, `dall'app ${++n}`, `c-${n}-${Date.now()}`);
    return {
      ...m,
      auth: { ...m.auth, level: 'strong' as const, authenticatedAt: authenticatedAt.toISOString() },
    };
  };
  const decide = (req: Omit<DecideStepUpRequestV1, 'appUserId'> & { appUserId?: string }) =>
    sys.rpc.request(RouterRequests.decideStepUp, { appUserId: 'app-giulia', ...req });
  /** The customer approves in the app with Face ID just now, echoing the push's nonce. */
  const approve = (action: StepUpAction, over: Partial<DecideStepUpRequestV1> = {}) =>
    decide({
      approvalId: action.approvalId,
      approve: true,
      assurance: 'strong',
      authenticatedAt: new Date().toISOString(),
      ...(action.nonce ? { nonce: action.nonce } : {}),
      ...over,
    });
  const unblock = (conversationId: string, over: Partial<CardActionRequestV1> = {}) =>
    sys.rpc.request(RouterRequests.cardAction, {
      conversationId,
      cardId: FRAUD_CARD,
      action: 'unblock',
      actor: ALICE,
      reason: 'the customer says the payment was not hers',
      idempotencyKey: `k-${++n}`,
      ...over,
    });
  const pushesFor = (cardLast4: string) =>
    sys.outbound.filter(
      (o) =>
        o.action?.operation?.action === 'unblock_card' &&
        o.action.operation.card?.last4 === cardLast4,
    );
  const coreStatus = async (cardId: string) => {
    const res = await fetch(`${sys.core.apiUrl}/customers/${SEED_IDS.giulia}/cards`, {
      headers: { authorization: `Bearer ${CORE_KEY}` },
    });
    const body = (await res.json()) as { cards: Array<{ id: string; status: string }> };
    return body.cards.find((c) => c.id === cardId)?.status;
  };
  const audit = async (action: string) =>
    (await get(AuditLogRepository).recent(300)).filter((a) => a.action === action);

  let conv = { conversationId: '', customerId: '' };

  beforeAll(async () => {
    sys = await startRouterSystem({ STEP_UP_TTL_MS: String(STEP_UP_TTL_MS) });
    // Giulia has the app (a plain session); then "she" writes by SMS: the last channel is SMS.
    const app = await send(inappMessage(GIULIA.appUserId!, 'ciao dall’app', 'a-0'));
    // The bot's answer first (its time would otherwise outrank the SMS's as "last written").
    await pollUntil(
      () =>
        sys.outbound.find(
          (o) => o.conversationId === app.conversationId && o.author.kind === 'bot',
        ),
      { what: 'the bot’s answer in the app' },
    );
    conv = await send(inbound({ from: { address: GIULIA.phone }, text: 'sbloccate la carta!' }));
  });
  afterAll(async () => sys?.close());

  it('attack (a): the push names the card, the action, who asks and why; her approval unblocks that card once, nothing else', async () => {
    // The fraudster, on Giulia's linked phone, gets agent alice to try the unblock: refused.
    const refused = (await unblock(conv.conversationId).catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(refused.code).toBe('ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL');
    expect(refused.message).toContain(
      'neither a supervisor nor the customer (in the app, for this unblock) has approved it',
    );
    // The request in the app says exactly what approving would do.
    const push = await pollUntil(() => pushesFor('4821')[0], { what: 'the step-up push' });
    expect(push).toMatchObject({ channel: 'inapp', to: { address: 'app-giulia' } });
    expect(push.action).toMatchObject({
      kind: 'step_up',
      level: 'strong',
      operation: {
        action: 'unblock_card',
        card: { brand: 'visa', last4: '4821' },
        requestedBy: { kind: 'agent', id: 'alice' },
        via: 'sms',
        reason: 'fraud_block',
      },
    });
    for (const words of ['SBLOCCARE la tua carta Visa •••• 4821', 'l’operatore alice', 'via SMS']) {
      expect(push.text).toContain(words);
    }
    for (const words of ['UNBLOCK your Visa •••• 4821 card', 'agent alice', 'fraud system']) {
      expect(push.text).toContain(words);
    }
    expect(push.text).not.toContain(push.action!.nonce!);
    // A retried click while she has not answered asks her nothing new.
    await expect(unblock(conv.conversationId)).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect(pushesFor('4821')).toHaveLength(1);

    // The real customer taps approve (Face ID, fresh). It raises no level anywhere.
    const res = await approve(push.action!);
    expect(res).toMatchObject({ status: 'approved', authorises: 'unblock_card' });
    expect(res.level).not.toBe('strong');
    expect(Date.parse(res.expiresAt!)).toBeLessThanOrEqual(Date.now() + STEP_UP_TTL_MS);
    const assurance = get(AssuranceService);
    for (const on of ['sms', 'inapp', undefined] as const) {
      expect((await assurance.current(conv.customerId, Date.now(), on)).level).not.toBe('strong');
    }

    // Another agent cannot ride on it (the approval names alice).
    await expect(
      unblock(conv.conversationId, { actor: { id: 'bob', role: 'agent' } }),
    ).rejects.toMatchObject({ code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL' });
    // Nor does it unblock another card the fraud engine blocks meanwhile.
    await sys.core.control('fraud-block', { customerId: SEED_IDS.giulia, cardId: OTHER_CARD });
    await expect(unblock(conv.conversationId, { cardId: OTHER_CARD })).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect(await coreStatus(OTHER_CARD)).toBe('blocked');

    // The unblock she approved goes through, once.
    const done = await unblock(conv.conversationId);
    expect(done).toMatchObject({ changed: true, basis: 'step_up', card: { status: 'active' } });
    expect(await coreStatus(FRAUD_CARD)).toBe('active');
    const [entry] = await audit('card.unblock');
    expect(entry).toMatchObject({
      actor: 'alice',
      detail: { basis: 'step_up', approvalId: push.action!.approvalId },
    });
    expect((await audit('step_up.used')).map((a) => a.subject)).toEqual([push.action!.approvalId]);
    expect((await get(StepUpApprovalsRepository).get(push.action!.approvalId))?.status).toBe(
      'executed',
    );

    // The fraud engine blocks the card again: the used approval unblocks nothing more.
    await sys.core.control('fraud-block', { customerId: SEED_IDS.giulia, cardId: FRAUD_CARD });
    await expect(unblock(conv.conversationId)).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect(await coreStatus(FRAUD_CARD)).toBe('blocked');
    // Answering it again is a conflict, not a second licence.
    await expect(approve(push.action!)).rejects.toMatchObject({ code: 'STEP_UP.CONFLICT' });
  });

  it('attack (b): an approval without its nonce, after the request expired, or used after it lapsed, is refused', async () => {
    const stepUp = get(StepUpService);
    const ask = async (cardId: string, last4: string, brand = 'visa') => {
      const { approvalId } = await stepUp.request({
        customerId: conv.customerId,
        conversationId: conv.conversationId,
        level: 'strong',
        reason: 'card_unblock',
        requestedBy: 'carla',
        unblock: { cardId, brand, last4 },
      });
      const push = await pollUntil(
        () => sys.outbound.find((o) => o.action?.approvalId === approvalId),
        { what: 'the push' },
      );
      return push.action!;
    };
    const answered = await ask(FRAUD_CARD, '4821');
    const unanswered = await ask(OTHER_CARD, '7702', 'mastercard');
    // Without the nonce, or with another request's nonce: refused, and still pending.
    await expect(approve(answered, { nonce: undefined })).rejects.toMatchObject({
      code: 'STEP_UP.NONCE_INVALID',
    });
    await expect(approve(answered, { nonce: unanswered.nonce! })).rejects.toMatchObject({
      code: 'STEP_UP.NONCE_INVALID',
    });
    const approved = await approve(answered);
    const carla = { id: 'carla', role: 'agent' as const };

    // Both lapse: the unanswered request, and the approval nobody used in time.
    await pollUntil(() => Date.now() > Date.parse(approved.expiresAt!) + 100, {
      what: 'the approval to lapse',
      timeoutMs: STEP_UP_TTL_MS + 10_000,
    });
    await expect(unblock(conv.conversationId, { actor: carla })).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect(await coreStatus(FRAUD_CARD)).toBe('blocked');
    await expect(approve(unanswered)).rejects.toMatchObject({ code: 'STEP_UP.EXPIRED' });
    expect((await get(StepUpApprovalsRepository).get(unanswered.approvalId))?.status).toBe(
      'expired',
    );
    // Replayed, the approval is a conflict (decided already).
    await expect(approve(answered)).rejects.toMatchObject({ code: 'STEP_UP.CONFLICT' });
  });

  it('attack (c): a strong login in the app counts in the app only, and unblocks nothing', async () => {
    await send(strongAppMessage('app-giulia'));
    const assurance = get(AssuranceService);
    const inApp = await pollUntil(
      async () => {
        const s = await assurance.current(conv.customerId, Date.now(), 'inapp');
        return s.level === 'strong' ? s : null;
      },
      { what: 'strong assurance in the app' },
    );
    expect(inApp).toMatchObject({ source: 'app_jwt', channel: 'inapp' });
    for (const on of ['sms', 'telegram', 'whatsapp', 'email', undefined] as const) {
      expect((await assurance.current(conv.customerId, Date.now(), on)).level).toBe('app_session');
    }
    expect(await assurance.satisfies(conv.customerId, 'strong', 'sms')).toBe(false);
    // The agent's context of the SMS conversation does not show her as strong either.
    const ctx = await sys.rpc.request(RouterRequests.getContext, {
      conversationId: conv.conversationId,
    });
    expect(ctx.assurance?.level).toBe('app_session');
    // And a fraud unblock still needs an approval of that unblock.
    await expect(unblock(conv.conversationId)).rejects.toMatchObject({
      code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
    });
    expect(await coreStatus(FRAUD_CARD)).toBe('blocked');
  });

  it('a strong login that happened long ago is not strong now, even in the app', async () => {
    const old = await send(strongAppMessage('app-marco', new Date(Date.now() - 60 * 60_000)));
    // The level is raised after the message is stored (and its event published): poll for it.
    const level = await pollUntil(
      async () => {
        const s = await get(AssuranceService).current(old.customerId, Date.now(), 'inapp');
        return s.level === 'possession' ? null : s.level;
      },
      { what: 'the app session level' },
    );
    expect(level).toBe('app_session');
  });

  it('step-up: a customer without the app is not pushed to, so the caller can tell the agent', async () => {
    const { conversationId, customerId } = await send(
      inbound({ from: { address: LUCA.phone }, text: 'buongiorno' }),
    );
    const res = await get(StepUpService).request({
      customerId,
      conversationId,
      level: 'strong',
      reason: 'card_unblock',
      requestedBy: 'alice',
    });
    expect(res.pushed).toBe(false);
    expect(sys.outbound.some((o) => o.action?.approvalId === res.approvalId)).toBe(false);
  });
});
