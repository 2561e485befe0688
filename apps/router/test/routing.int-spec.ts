import { randomUUID } from 'node:crypto';
import { BusPublisher } from '@omnigate/bus';
import {
  CORE_BANKING_EVENT_V1,
  CoreBankingEventV1Schema,
  Subjects,
  coreEventMsgId,
  RouterRequests,
} from '@omnigate/contracts';
import type {
  ConversationEventV1,
  CoreBankingEventV1,
  CoreEventKind,
  ListQueuesResponseV1,
  SetAgentPresenceRequestV1,
  SetAgentPresenceResponseV1,
  SetControlRequestV1,
  SetControlResponseV1,
} from '@omnigate/contracts';
import {
  ApprovalsRepository,
  ConversationRoutingRepository,
  FraudAlertsRepository,
  TicketsRepository,
} from '@omnigate/store';
import { consumerGroupProgress, groupSettled, pollUntil } from '@omnigate/testing';
import { CORE_BANKING_SEED, SEED_IDS } from './core-banking.harness';
import { createdFor, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

const person = (id: string) => CORE_BANKING_SEED.customers.find((c) => c.id === id)!;
const GIULIA = person(SEED_IDS.giulia);
const MARCO = person(SEED_IDS.marco);
const OLIVER = person(SEED_IDS.oliver);
const CHIARA = person(SEED_IDS.chiara);
const LUCA = person(SEED_IDS.luca);

type Body = ConversationEventV1['event'];
type RoutingEvent = Extract<Body, { kind: 'routing.changed' }>;
type Notice = Extract<Body, { kind: 'notice' }>;

/** Drives the router the way core banking, customers and consoles do: on the bus only. */
function driver(sys: RouterSystem) {
  const get = <T>(cls: new (...args: never[]) => T): T => sys.router.app.get(cls);
  let n = 0;
  const d = {
    get,
    async coreEvent(
      kind: CoreEventKind,
      customerRef: string,
      over: Partial<CoreBankingEventV1> = {},
    ): Promise<CoreBankingEventV1> {
      const e: CoreBankingEventV1 = {
        type: CORE_BANKING_EVENT_V1,
        version: 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        kind,
        coreEventId: `evt-${randomUUID()}`,
        customerRef,
        ...over,
      };
      await sys.bus
        .get(BusPublisher)
        .publish(Subjects.coreEvent(kind), CoreBankingEventV1Schema, e, {
          msgId: coreEventMsgId(e.coreEventId),
        });
      return e;
    },
    /** An SMS from `phone`, waited for until the router acknowledged it (every step done). */
    async sms(phone: string, text: string, providerMessageId = `SM${++n}-${randomUUID()}`) {
      const msg = inbound({ from: { address: phone }, text, providerMessageId });
      const seen = createdFor(sys.events, text).length;
      await sys.sendInbound(msg);
      const created = await pollUntil(
        () => createdFor(sys.events, text).length > seen && createdFor(sys.events, text).at(-1),
        { what: `message.created for "${text}"` },
      );
      await d.settled();
      return { msg, conversationId: created.conversation.id, messageId: created.message.id };
    },
    /** The router has acknowledged every inbound message. */
    async settled() {
      await pollUntil(
        async () =>
          groupSettled(await consumerGroupProgress(sys.nats.url, 'MSG_IN', 'router-inbound')),
        { what: 'the router to finish the inbound messages', timeoutMs: 20_000 },
      );
    },
    botAnswers: (conversationId: string) =>
      sys.outbound.filter((o) => o.conversationId === conversationId && o.author.kind === 'bot'),
    eventsOf: (conversationId: string): Body[] =>
      sys.events.filter((e) => e.conversationId === conversationId).map((e) => e.event),
    routingEvents: (conversationId: string): RoutingEvent[] =>
      d.eventsOf(conversationId).filter((e): e is RoutingEvent => e.kind === 'routing.changed'),
    notices: (conversationId: string, code: string): Notice[] =>
      d.eventsOf(conversationId).filter((e): e is Notice => e.kind === 'notice' && e.code === code),
    routing: (conversationId: string) => get(ConversationRoutingRepository).get(conversationId),
    context: (conversationId: string) =>
      sys.rpc.request(RouterRequests.getContext, { conversationId }),
    customerOf: async (coreRef: string) =>
      (await get(FraudAlertsRepository).findCustomerId(coreRef))!,
    setControl: (req: SetControlRequestV1): Promise<SetControlResponseV1> =>
      sys.rpc.request(RouterRequests.setControl, req),
    presence: (req: SetAgentPresenceRequestV1): Promise<SetAgentPresenceResponseV1> =>
      sys.rpc.request(RouterRequests.setAgentPresence, req),
    queues: (): Promise<ListQueuesResponseV1> => sys.rpc.request(RouterRequests.listQueues, {}),
    /** The open alerts of a bank customer, once the router stored `count` of them. */
    alertsOf: async (coreRef: string, count = 1) =>
      pollUntil(
        async () => {
          const repo = get(FraudAlertsRepository);
          const id = await repo.findCustomerId(coreRef);
          const open = id ? await repo.listOpen(id) : [];
          return open.length >= count && open;
        },
        { what: `${count} fraud alert(s) of ${coreRef}` },
      ),
  };
  return d;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('router: fraud correlation, bot and assignment', () => {
  let sys: RouterSystem;
  let d: ReturnType<typeof driver>;
  let giuliaConversation: string;

  beforeAll(async () => {
    sys = await startRouterSystem();
    d = driver(sys);
  }, 60_000);
  afterAll(async () => sys?.close());

  it('links "mi hanno clonato la carta" to a fresh fraud block: fraud queue, priority 1, the bot says what happened', async () => {
    await d.coreEvent('card_blocked_by_fraud', SEED_IDS.giulia, {
      occurredAt: minutesAgo(2),
      cardId: SEED_IDS.giuliaBlockedCard,
      transactionId: SEED_IDS.suspiciousTransaction,
    });
    const [alert] = await d.alertsOf(SEED_IDS.giulia);

    const { conversationId } = await d.sms(GIULIA.phone, 'mi hanno clonato la carta');
    giuliaConversation = conversationId;

    const linked = d.routingEvents(conversationId).find((e) => e.reason === 'fraud_alert_linked');
    expect(linked).toMatchObject({ queue: 'fraud', priority: 1, fraudAlertId: alert!.id });
    expect((await d.get(FraudAlertsRepository).get(alert!.id))?.conversationId).toBe(
      conversationId,
    );
    const [answer, ...more] = d.botAnswers(conversationId);
    expect(more).toHaveLength(0);
    expect(answer).toMatchObject({ channel: 'sms', to: { address: GIULIA.phone } });
    expect(answer!.text).toMatch(/^La tua carta •••• 4821 è stata bloccata alle \d\d:\d\d/);
    expect(answer!.text).toContain('1249,00 EUR a QUICKPAY*ELECTRO-DEALS');
    expect(answer!.text).toContain('Un operatore ti risponde adesso.');
    // No agent is available yet: handed off, waiting in the fraud queue with a summary.
    expect(await d.routing(conversationId)).toMatchObject({
      queue: 'fraud',
      priority: 1,
      control: 'pending',
      assignedAgent: null,
      intent: 'fraud',
    });
    const [summary] = d.notices(conversationId, 'handoff.summary');
    expect(summary?.detail).toMatchObject({
      intent: 'fraud',
      asked: 'was_it_you',
      fraudAlertId: alert!.id,
      contextUnavailable: false,
    });
  });

  it('answers a redelivered message once', async () => {
    const before = d.botAnswers(giuliaConversation).length;
    const { msg } = await d.sms(GIULIA.phone, 'la carta è bloccata, aiuto', 'SM-redelivered');
    // The gateway publishes the same provider message again (a retry past the dedupe window).
    await sys.sendInbound(msg, `redelivery-${randomUUID()}`);
    await pollUntil(() => createdFor(sys.events, 'la carta è bloccata, aiuto').length >= 2, {
      what: 'the redelivery to be handled',
    });
    await d.settled();
    // Pending: the bot stays silent, and the redelivery changed nothing.
    expect(d.botAnswers(giuliaConversation)).toHaveLength(before);
    expect((await d.routing(giuliaConversation))?.control).toBe('pending');
  });

  it('assigns the waiting conversation to the first agent who comes available with the skill', async () => {
    const away = await d.presence({
      agentId: 'agent-onb',
      available: true,
      skills: ['onboarding'],
    });
    expect(away.assigned).toEqual([]);
    const anna = await d.presence({ agentId: 'agent-anna', available: true, skills: ['fraud'] });
    expect(anna.assigned).toContain(giuliaConversation);
    expect(await d.routing(giuliaConversation)).toMatchObject({
      control: 'agent_active',
      assignedAgent: 'agent-anna',
    });
    await pollUntil(
      () => d.routingEvents(giuliaConversation).find((e) => e.reason === 'assigned'),
      { what: 'routing.changed assigned' },
    );
  });

  it('keeps the bot silent while an agent answers', async () => {
    const before = d.botAnswers(giuliaConversation).length;
    await d.sms(GIULIA.phone, 'non sono stata io, il pagamento di 1.249,00 euro non è mio');
    expect(d.botAnswers(giuliaConversation)).toHaveLength(before);
    // What she told us is kept for the agent (and never asked again).
    const context = await d.context(giuliaConversation);
    expect(context.providedFacts).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'amount' })]),
    );
    expect(context.routing).toMatchObject({ control: 'agent_active', assignedAgent: 'agent-anna' });
    expect(context.fraudAlerts?.[0]).toMatchObject({ kind: 'card_blocked_by_fraud', linked: true });
  });

  it('does not link a fraud message outside the window', async () => {
    await d.coreEvent('card_blocked_by_fraud', SEED_IDS.marco, {
      occurredAt: minutesAgo(45),
      cardId: 'card-1002-a',
    });
    const [alert] = await d.alertsOf(SEED_IDS.marco);
    const { conversationId } = await d.sms(MARCO.phone, 'mi hanno clonato la carta');
    expect((await d.get(FraudAlertsRepository).get(alert!.id))?.conversationId).toBeNull();
    expect(await d.routing(conversationId)).toMatchObject({ queue: 'fraud', priority: 2 });
    expect(d.routingEvents(conversationId).some((e) => e.reason === 'fraud_alert_linked')).toBe(
      false,
    );
    // Anna has the fraud skill and room: the handoff went straight to her.
    expect(await d.routing(conversationId)).toMatchObject({
      control: 'agent_active',
      assignedAgent: 'agent-anna',
    });
  });

  it('tells nothing on a phone channel after a SIM swap, and asks for a step-up', async () => {
    await d.coreEvent('sim_swap', SEED_IDS.oliver, { occurredAt: minutesAgo(1) });
    await d.alertsOf(SEED_IDS.oliver);
    const { conversationId } = await d.sms(OLIVER.phone, 'I think my card was cloned');
    const [answer] = d.botAnswers(conversationId);
    expect(answer!.text).toContain('security check');
    expect(answer!.text).not.toMatch(/5144|EUR|GBP/);
    expect(await d.routing(conversationId)).toMatchObject({ queue: 'fraud', priority: 1 });
    const stepUp = await d
      .get(ApprovalsRepository)
      .newest('step_up', await d.customerOf(SEED_IDS.oliver), 'possession', 'pending');
    expect(stepUp).toMatchObject({ conversationId, requestedBy: 'bot' });
  });

  it('resolves the card alert when core banking reports the card unblocked', async () => {
    const [alert] = await d.alertsOf(SEED_IDS.giulia);
    await d.coreEvent('card_unblocked', SEED_IDS.giulia, { cardId: SEED_IDS.giuliaBlockedCard });
    await pollUntil(
      async () => (await d.get(FraudAlertsRepository).get(alert!.id))?.status === 'resolved',
      { what: 'the alert to be resolved' },
    );
  });

  it('counts conversations per queue and priority', async () => {
    const { queues } = await d.queues();
    expect(queues.find((q) => q.queue === 'fraud' && q.priority === 1)?.open).toBe(2);
    expect(queues.map((q) => q.queue)).toEqual(
      expect.arrayContaining(['fraud', 'onboarding', 'disputes', 'general']),
    );
  });
  it('shows the menu once: a customer who keeps chatting is not sent the same list again', async () => {
    const phone = '+393331112233';
    const { conversationId } = await d.sms(phone, 'buongiorno');
    await d.sms(phone, 'ok grazie');
    const answers = d.botAnswers(conversationId);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toMatch(/operatore/);
    // Something the bot can answer still gets an answer after the menu.
    await d.sms(phone, 'voglio parlare con un operatore');
    expect(d.botAnswers(conversationId)).toHaveLength(2);
  });
});

describe('router: handoff and the control protocol', () => {
  let sys: RouterSystem;
  let d: ReturnType<typeof driver>;

  beforeAll(async () => {
    sys = await startRouterSystem({ CORE_BANKING_TIMEOUT_MS: '300' });
    d = driver(sys);
  }, 60_000);
  afterAll(async () => sys?.close());

  it('hands off at once when the customer asks for a person', async () => {
    const { conversationId } = await d.sms(CHIARA.phone, 'voglio parlare con un operatore');
    const [answer] = d.botAnswers(conversationId);
    expect(answer!.text).toContain('operatore');
    expect(await d.routing(conversationId)).toMatchObject({ control: 'pending' });
    expect(d.notices(conversationId, 'handoff.summary')).toHaveLength(1);
    const { queues } = await d.queues();
    const waiting = queues.find((q) => q.waiting > 0);
    expect(waiting?.oldestWaitingSince).toEqual(expect.any(String));
  });

  it('an agent at their limit gets the next waiting conversation when they release one', async () => {
    const chiara = (await d.sms(CHIARA.phone, 'ci siete?')).conversationId;
    const got = await d.presence({
      agentId: 'agent-gen',
      available: true,
      skills: ['general'],
      maxConcurrent: 1,
    });
    expect(got.assigned).toEqual([chiara]);
    const marco = (await d.sms(MARCO.phone, 'vorrei parlare con una persona')).conversationId;
    expect(await d.routing(marco)).toMatchObject({ control: 'pending', assignedAgent: null });

    await d.setControl({ conversationId: chiara, agentId: 'agent-gen', action: 'release' });
    expect(await d.routing(chiara)).toMatchObject({ control: 'released', assignedAgent: null });
    expect(await d.routing(marco)).toMatchObject({
      control: 'agent_active',
      assignedAgent: 'agent-gen',
    });
  });

  it('take_over silences the bot, hand_back brings it back, an agent reply takes over', async () => {
    const first = await d.sms(LUCA.phone, 'buongiorno');
    const conversationId = first.conversationId;
    expect(d.botAnswers(conversationId)).toHaveLength(1);

    const taken = await d.setControl({ conversationId, agentId: 'agent-bo', action: 'take_over' });
    expect(taken).toMatchObject({ control: 'agent_active', assignedAgent: 'agent-bo' });
    await d.sms(LUCA.phone, 'mi mancano dei documenti per aprire il conto');
    expect(d.botAnswers(conversationId)).toHaveLength(1);

    await expect(
      d.setControl({ conversationId, agentId: 'agent-other', action: 'hand_back' }),
    ).rejects.toMatchObject({ code: 'ROUTER.CONTROL_CONFLICT' });
    await d.setControl({ conversationId, agentId: 'agent-bo', action: 'hand_back' });
    await d.sms(LUCA.phone, 'quali documenti mancano?');
    expect(d.botAnswers(conversationId)).toHaveLength(2);
    // KYC is missing documents: the bot said so and opened one ticket for it.
    // It names what is missing, from core banking: nobody has to ask which documents.
    expect(d.botAnswers(conversationId)[1]!.text).toContain(
      'manca un documento che attesti la residenza e il retro del documento d’identità',
    );
    const tickets = await d.get(TicketsRepository).listOpenForCustomer(await d.customerOf(LUCA.id));
    expect(tickets.map((t) => t.subject)).toEqual(['Onboarding: documents missing']);

    await sys.rpc.request(RouterRequests.sendReply, {
      conversationId,
      agentId: 'agent-carla',
      text: 'Ciao Luca, ti aiuto io',
      idempotencyKey: randomUUID(),
    });
    expect(await d.routing(conversationId)).toMatchObject({
      control: 'agent_active',
      assignedAgent: 'agent-carla',
    });
    expect(d.routingEvents(conversationId).map((e) => e.reason)).toEqual(
      expect.arrayContaining(['agent_took_over', 'handed_back', 'agent_replied']),
    );
  });

  it('disputes: lists the payments once, then opens a ticket naming the one the customer picked', async () => {
    const first = await d.sms(GIULIA.phone, 'voglio contestare un pagamento');
    const conversationId = first.conversationId;
    const [ask] = d.botAnswers(conversationId);
    expect(ask!.text).toContain('Quale pagamento vuoi contestare?');
    expect(ask!.text).toContain('89,99 EUR Zalando SE');
    expect(await d.routing(conversationId)).toMatchObject({
      queue: 'disputes',
      control: 'bot_active',
    });

    await d.sms(GIULIA.phone, 'quello da Zalando');
    const answers = d.botAnswers(conversationId);
    expect(answers).toHaveLength(2);
    expect(answers[1]!.text).toContain('Ho aperto una contestazione');
    const tickets = await d
      .get(TicketsRepository)
      .listOpenForCustomer(await d.customerOf(GIULIA.id));
    expect(tickets.map((t) => t.subject)).toEqual([
      expect.stringMatching(/^Dispute: 89\.99 EUR Zalando SE/),
    ]);
    expect(await d.routing(conversationId)).toMatchObject({
      queue: 'disputes',
      control: 'pending',
    });
    const [summary] = d.notices(conversationId, 'handoff.summary');
    expect(summary?.detail).toMatchObject({ intent: 'dispute' });
    expect(String(summary?.detail.known)).toContain('merchant');
  });

  it('still queues the conversation, marked context unavailable, when core banking is down', async () => {
    const { conversationId } = await d.sms(LUCA.phone, 'ok');
    await d.setControl({ conversationId, agentId: 'agent-carla', action: 'release' });
    await sys.core.setDown(true);
    try {
      // What was read before the outage may still be cached for a moment.
      await pollUntil(async () => !(await d.context(conversationId)).available, {
        what: 'the context to be unavailable',
      });
      await d.sms(LUCA.phone, 'non riesco a completare l’apertura del conto');
      expect(await d.routing(conversationId)).toMatchObject({
        queue: 'onboarding',
        control: 'pending',
      });
      const summaries = d.notices(conversationId, 'handoff.summary');
      expect(summaries.at(-1)?.detail).toMatchObject({ contextUnavailable: true });
      expect(d.botAnswers(conversationId).at(-1)?.text).toContain('non rispondono');
      expect(sys.deadLetters).toHaveLength(0);
    } finally {
      await sys.core.setDown(false);
    }
  });
});
