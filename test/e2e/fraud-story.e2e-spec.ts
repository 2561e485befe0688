import type { Socket } from 'socket.io-client';
import type { CustomerContextV1, MessageView } from '@omnigate/contracts';
import { consumerProgress, pollUntil } from '@omnigate/testing';
import { agentLogin, api, appToken, connect, json, startSystem } from './system.harness';
import type { System } from './system.harness';

/**
 * The seed article's story, end to end, every app in the loop: the fraud engine blocks Giulia's
 * card; she writes "mi hanno clonato la carta" on Telegram (linked at possession with a code from
 * her app); the conversation jumps to the top of the fraud queue with the alert, her transactions
 * and the fraud case; the bot tells her what happened; she confirms in the app (step-up); the
 * agent unblocks the card from the console; core banking shows it active and she is told in the
 * app and by SMS, both delivered. Nobody asked her anything twice.
 */
const GIULIA = {
  coreId: 'cust-1001',
  card: 'card-1001-a',
  phone: '+393471234567',
  appUserId: 'app-giulia',
  name: 'Giulia Rossi',
  telegramId: 81234567,
};

interface Timeline {
  conversation: { id: string; channels: string[] };
  messages: MessageView[];
  statusHistory: Record<string, Array<{ state: string }>>;
}

interface SentRecord {
  chatId: string;
  text?: string;
}

// database-incidental: the seed story across the apps and channels; the card actions, approvals
// and step-up it uses are tested on both databases by the router's integration tests.

describe('the seed story: a cloned card on Telegram, step-up in the app, the agent unblocks', () => {
  let sys: System;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sys?.stop();
  });

  const core = (path: string, init: RequestInit = {}) =>
    fetch(`${sys.urls.sandbox}/core/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${sys.env.CORE_BANKING_API_KEY ?? 'sandbox-core-key'}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  const telegram = async (text: string) => {
    const res = await fetch(`${sys.urls.sandbox}/sandbox/telegram/updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: { id: GIULIA.telegramId, firstName: 'Giulia', languageCode: 'it' },
        text,
      }),
    });
    expect(res.ok).toBe(true);
  };
  const telegramSent = async (): Promise<SentRecord[]> =>
    (
      await json<{ messages: SentRecord[] }>(
        await fetch(`${sys.urls.sandbox}/sandbox/telegram/sent?chatId=${GIULIA.telegramId}`),
      )
    ).messages;

  it('tells the whole story without asking anything twice', async () => {
    const console_ = api(sys, await agentLogin(sys));
    const supervisor = api(sys, await agentLogin(sys, 'sam', sys.secrets.supervisorPassword));

    // 0. Giulia is in her app (a plain login): it shows her a link code for Telegram.
    const appJwt = await appToken(sys, GIULIA.appUserId);
    const app = await connect(sys.urls.inapp, appJwt);
    sockets.push(app);
    const pushed: Array<
      MessageView & {
        action?: {
          kind: string;
          approvalId: string;
          nonce?: string;
          operation?: { action: string; via: string; card?: { last4: string } };
        };
      }
    > = [];
    app.on('message', (m: (typeof pushed)[number], ack?: () => void) => {
      pushed.push(m);
      ack?.();
    });
    const issued = await fetch(`${sys.urls.inapp}/v1/link-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt}` },
    });
    expect(issued.status).toBe(201);
    const { code, deepLinks } = await json<{ code: string; deepLinks: { telegram?: string } }>(
      issued,
    );
    expect(deepLinks.telegram).toContain(`start=link_${code}`);
    // She opens the deep link: Telegram sends /start link_<code> from her chat.
    await telegram(`/start link_${code}`);
    await pollUntil(
      async () => (await telegramSent()).find((m) => /collegat|linked/i.test(m.text ?? '')),
      { what: 'the link confirmation on Telegram', timeoutMs: 15_000 },
    );

    // 1. The fraud engine blocks her card (core banking signs and pushes the event to the router).
    const blocked = await core('/_control/fraud-block', {
      method: 'POST',
      body: JSON.stringify({
        customerId: GIULIA.coreId,
        cardId: GIULIA.card,
        merchant: 'QUICKPAY*ELECTRO-DEALS',
        amountMinor: 124_900,
      }),
    });
    expect(blocked.ok).toBe(true);
    // "Two minutes later": by then the router has recorded the alert (acked the core event).
    await pollUntil(
      async () => {
        const p = await consumerProgress(sys.nats.url, 'CORE_EVENTS', 'router-core-events');
        return p !== null && p.ackFloor >= 1 && p.pending === 0 && p.ackPending === 0;
      },
      { what: 'the router to record the fraud alert', timeoutMs: 20_000 },
    );

    // 2. Minutes later (well inside the correlation window) she writes on Telegram.
    await telegram('mi hanno clonato la carta');

    // 3. Top priority in the fraud queue, the alert linked, transactions and the fraud case attached.
    const conversation = await pollUntil(
      async () => {
        const list = await json<
          Array<{ id: string; queue?: string; priority?: number; channels: string[] }>
        >(await console_.get('/api/conversations?sort=priority'));
        return list.find((c) => c.channels.includes('telegram') && c.priority === 1);
      },
      { what: 'the conversation at priority 1', timeoutMs: 20_000 },
    );
    expect(conversation.queue).toBe('fraud');
    // 4. The bot already told her what happened, on Telegram, in Italian (the last four are the
    //    seed card's; the context below confirms them).
    const botAnswer = await pollUntil(
      async () => (await telegramSent()).find((m) => (m.text ?? '').includes('QUICKPAY')),
      { what: 'the bot’s answer on Telegram', timeoutMs: 15_000 },
    );
    expect(botAnswer.text).toContain('QUICKPAY*ELECTRO-DEALS');
    expect(botAnswer.text).toMatch(/1\.?249,00/);

    // 3b. Once the bot answered: the context an agent opens.
    const context = await json<CustomerContextV1>(
      await console_.get(`/api/conversations/${conversation.id}/context`),
    );
    expect(context.customer).toMatchObject({ displayName: GIULIA.name, verified: true });
    expect(context.linkedChannels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'telegram', assurance: 'possession' }),
      ]),
    );
    expect(context.fraudAlerts).toEqual([
      expect.objectContaining({ kind: 'card_blocked_by_fraud', cardId: GIULIA.card, linked: true }),
    ]);
    const card = context.cards.find((c) => c.id === GIULIA.card)!;
    expect(card).toMatchObject({ status: 'blocked', blockedBy: 'fraud_engine' });
    expect(botAnswer.text).toContain(card.last4);
    expect(context.recentTransactions.map((t) => t.merchant)).toContain('QUICKPAY*ELECTRO-DEALS');
    expect(context.openTickets.map((t) => t.subject)).toEqual([
      expect.stringContaining(`•••• ${card.last4}`),
    ]);

    // 5. The agent tries to unblock: refused (possession only, no approval), with the reason.
    const refused = await console_.post(
      `/api/conversations/${conversation.id}/cards/${GIULIA.card}/unblock`,
      { reason: 'customer says the payment was not hers' },
    );
    expect(refused.status).toBe(403);
    const { error: refusal } = await json<{ error: { code: string; message: string } }>(refused);
    expect(refusal.code).toBe('ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL');
    expect(refusal.message).toMatch(/neither a supervisor nor the customer/);
    expect(refusal.message).toMatch(/supervisor/);

    // 6. The step-up request reaches her app naming the action, the card, who asks and from
    //    where; she confirms with Face ID (a strong, fresh login), echoing the request's nonce.
    const request = await pollUntil(() => pushed.find((m) => m.action?.kind === 'step_up'), {
      what: 'the step-up request in the app',
      timeoutMs: 15_000,
    });
    expect(request.action?.operation).toMatchObject({
      action: 'unblock_card',
      via: 'telegram',
      card: { last4: card.last4 },
    });
    expect(request.text).toContain(`•••• ${card.last4}`);
    expect(request.text).toContain('via Telegram');
    expect(request.text).toContain('agent alice');
    const strongJwt = await appToken(sys, GIULIA.appUserId, '1h', { amr: ['face'] });
    const answer = () =>
      fetch(`${sys.urls.inapp}/v1/approvals/${request.action!.approvalId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${strongJwt}`, 'content-type': 'application/json' },
        body: JSON.stringify({ approve: true, nonce: request.action!.nonce }),
      });
    const approved = await answer();
    expect(approved.status).toBe(200);
    // It authorises that unblock; it makes her strong nowhere.
    const decision = await json<{ level: string; authorises: string }>(approved);
    expect(decision).toMatchObject({ authorises: 'unblock_card' });
    expect(decision.level).not.toBe('strong');
    // Replayed, the approval is refused.
    expect((await answer()).status).toBe(409);

    // 7. Now the agent's unblock goes through, and core banking shows the card active.
    const unblocked = await console_.post(
      `/api/conversations/${conversation.id}/cards/${GIULIA.card}/unblock`,
      { reason: 'customer confirmed in the app that the payment was not hers' },
    );
    expect(unblocked.status).toBe(200);
    const cards = await json<{ cards: Array<{ id: string; status: string }> }>(
      await core(`/customers/${GIULIA.coreId}/cards`),
    );
    expect(cards.cards.find((c) => c.id === GIULIA.card)?.status).toBe('active');

    // 8. She is told in the app and by SMS; both delivered.
    const timeline = await pollUntil(
      async () => {
        const t = await json<Timeline>(await console_.get(`/api/conversations/${conversation.id}`));
        const notices = t.messages.filter(
          (m) =>
            m.author.kind === 'system' &&
            m.direction === 'outbound' &&
            /sbloccat|unblocked/i.test(m.text),
        );
        const delivered = (channel: string) =>
          notices.some((m) => m.channel === channel && m.status === 'delivered');
        return delivered('inapp') && delivered('sms') ? t : undefined;
      },
      { what: 'the unblock notifications delivered in the app and by SMS', timeoutMs: 30_000 },
    );
    expect(
      pushed.some((m) => /sbloccat|unblocked/i.test(m.text) && m.author.kind === 'system'),
    ).toBe(true);
    const sid = sys.secrets.twilioAccountSid;
    const auth = 'Basic ' + Buffer.from(`${sid}:${sys.secrets.twilioAuthToken}`).toString('base64');
    const sms = await json<{ messages: Array<{ to: string; body: string }> }>(
      await fetch(`${sys.urls.sandbox}/2010-04-01/Accounts/${sid}/Messages.json`, {
        headers: { authorization: auth },
      }),
    );
    expect(sms.messages.some((m) => m.to === GIULIA.phone && /sbloccat/i.test(m.body))).toBe(true);

    // 9. Nothing asked twice: the bot asked one question ("was it you?") and no one asked again
    //    for what she had said or what the context already held.
    const asked = timeline.messages.filter(
      (m) => m.direction === 'outbound' && m.author.kind === 'bot' && m.text.includes('?'),
    );
    expect(asked.length).toBeLessThanOrEqual(1);
    const botTexts = timeline.messages
      .filter((m) => m.direction === 'outbound' && m.author.kind === 'bot')
      .map((m) => m.text);
    expect(botTexts.join(' ')).not.toMatch(
      /quale carta|which card|numero della carta|card number/i,
    );

    // The supervisor sees no approval left pending for this card (the customer's step-up sufficed).
    const { approvals } = await json<{ approvals: Array<{ target: string }> }>(
      await supervisor.get('/api/approvals?status=pending'),
    );
    expect(approvals.filter((a) => a.target === GIULIA.card)).toEqual([]);

    // What the bank holds on her now includes the alert and both approvals (her export, by the DPO).
    const dpo = api(sys, await agentLogin(sys, 'dora', sys.secrets.dpoPassword));
    const bundle = await json<{
      fraudAlerts: Array<{ kind: string; cardId: string }>;
      approvals: Array<{ kind: string; status: string }>;
    }>(await dpo.get(`/api/customers/${context.customer.id}/export`));
    expect(bundle.fraudAlerts).toEqual([
      expect.objectContaining({ kind: 'card_blocked_by_fraud', cardId: GIULIA.card }),
    ]);
    // Her approval was used by the unblock (once), which also closed the supervisor's request.
    expect(bundle.approvals.map((a) => `${a.kind}:${a.status}`).sort()).toEqual(
      expect.arrayContaining(['step_up:executed', 'unblock_card:executed']),
    );
  });
});
