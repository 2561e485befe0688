import { randomUUID } from 'node:crypto';
import { CONVERSATION_EVENT_V1, ConversationEventV1Schema } from '@omnigate/contracts';
import type { Channel, ConversationEventBody, ConversationEventV1 } from '@omnigate/contracts';
import { reduceJourney } from './journey.mapper';
import { asksOf } from './journey-mentions.mapper';
import { initialJourney } from './journey-state.mapper';
import { journeyColumns } from './journey-row.mapper';
import { customerTimeOf } from './journey-time.mapper';
import type { JourneyEffects, JourneyState } from './journey-state.mapper';

const CONV = '0b9a7c1e-57c8-4a55-9a43-3f3c1f1d2a10';
const CUSTOMER = '5d2f0f55-2d0b-4a8e-8d40-0f5f1c1b6e21';
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
let seq = 0;

function event(body: ConversationEventBody, occurredAt: string): ConversationEventV1 {
  // Parsed by the real schema: what the projection consumes is what the router may publish.
  return ConversationEventV1Schema.parse({
    type: CONVERSATION_EVENT_V1,
    version: 1,
    id: randomUUID(),
    occurredAt,
    conversationId: CONV,
    event: body,
  });
}

function message(
  min: number,
  channel: Channel,
  author: 'customer' | 'bot' | 'agent',
  text: string,
  cards: Array<{ token: string; brand: string; last4: string }> = [],
  /** The provider's send time (minutes from T0), for an inbound message that carries one. */
  sentMin?: number,
): ConversationEventV1 {
  seq += 1;
  return event(
    {
      kind: 'message.created',
      conversation: {
        id: CONV,
        status: 'open',
        customer: { id: CUSTOMER, displayName: null, verified: true },
        lastChannel: channel,
        lastMessageAt: at(min),
        lastMessagePreview: '',
        channels: [channel],
      },
      message: {
        id: randomUUID(),
        conversationId: CONV,
        seq,
        direction: author === 'customer' ? 'inbound' : 'outbound',
        channel,
        kind: 'text',
        text,
        attachments: [],
        author: { kind: author, id: author === 'customer' ? null : author },
        status: null,
        statusError: null,
        clientMsgId: null,
        createdAt: at(min),
      },
      ...(cards.length ? { cards } : {}),
      ...(sentMin === undefined ? {} : { sentAt: at(sentMin) }),
    },
    at(min),
  );
}

function routing(
  min: number,
  control: 'bot_active' | 'pending' | 'agent_active' | 'released',
  reason: string,
  queue: 'fraud' | 'general' | 'onboarding' | 'disputes' = 'general',
  fraud: { alertId: string; signalAt: string } | null = null,
): ConversationEventV1 {
  return event(
    {
      kind: 'routing.changed',
      queue,
      priority: 2,
      control,
      assignedAgent: control === 'agent_active' ? 'ada' : null,
      intent: null,
      reason,
      fraudAlertId: fraud?.alertId ?? null,
      fraudSignalAt: fraud?.signalAt ?? null,
    },
    at(min),
  );
}

function run(events: ConversationEventV1[]): { state: JourneyState; effects: JourneyEffects[] } {
  let state = initialJourney(CONV);
  const effects: JourneyEffects[] = [];
  for (const e of events) {
    const next = reduceJourney(state, e);
    state = next.state;
    effects.push(next.effects);
  }
  return { state, effects };
}

const CARD = (token: string) => ({ token, brand: 'visa', last4: '4242' });

describe('reduceJourney', () => {
  it('counts a customer who repeats their card number after switching from WhatsApp to the app as one context loss at that switch', () => {
    const { state, effects } = run([
      message(0, 'whatsapp', 'customer', 'La mia carta [card visa ••••4242] è bloccata', [
        CARD('ref_aaaaaaaaaaaaaaaaaaaa'),
      ]),
      message(1, 'whatsapp', 'bot', 'Ho visto la carta, controllo.'),
      // A new reference for the same card (references are random per message).
      message(9, 'inapp', 'customer', 'Di nuovo: la carta è [card visa ••••4242]', [
        CARD('ref_bbbbbbbbbbbbbbbbbbbb'),
      ]),
    ]);
    const losses = effects.flatMap((e) => e.losses);
    expect(losses).toEqual([
      {
        at: at(9),
        kind: 'card',
        by: 'customer',
        channel: 'inapp',
        switchFrom: 'whatsapp',
        switchTo: 'inapp',
        afterHandoff: false,
        journey: 'other',
      },
    ]);
    expect(state.switches).toEqual([{ at: at(9), from: 'whatsapp', to: 'inapp' }]);
    expect(state.channels).toEqual(['whatsapp', 'inapp']);
    expect(state.firstResponseAt).toBe(at(1));
  });

  it('does not count a conversation reopened within 7 days as first-contact resolved', () => {
    const { state, effects } = run([
      message(0, 'sms', 'customer', 'Bonifico bloccato'),
      routing(5, 'agent_active', 'agent_took_over'),
      message(6, 'sms', 'agent', 'Sbloccato, ora arriva.'),
      routing(7, 'released', 'released'),
      message(3 * 24 * 60, 'sms', 'customer', 'Non è ancora arrivato'),
      routing(3 * 24 * 60 + 1, 'bot_active', 'reopened'),
      routing(3 * 24 * 60 + 9, 'released', 'released'),
    ]);
    expect(state.reopenedWithin7d).toBe(true);
    expect(state.firstResolvedAt).toBe(at(7));
    expect(state.resolvedAt).toBe(at(3 * 24 * 60 + 9));
    expect(effects.filter((e) => e.reopened)).toHaveLength(1);
    expect(effects.flatMap((e) => (e.resolved ? [e.resolved.firstContact] : []))).toEqual([
      true,
      false,
    ]);
  });

  it('keeps first-contact resolution when the customer comes back after 7 days', () => {
    const { state } = run([
      message(0, 'sms', 'customer', 'Info'),
      routing(7, 'released', 'released'),
      message(8 * 24 * 60, 'sms', 'customer', 'Altra domanda'),
    ]);
    expect(state.reopenedWithin7d).toBe(false);
  });

  it('records a hand-off with what the agent received, and a question already answered after it as lost context', () => {
    const { state, effects } = run([
      message(0, 'whatsapp', 'customer', 'Pagamento di 49,90 € su Zalando che non ho fatto'),
      event(
        {
          kind: 'notice',
          code: 'handoff.summary',
          detail: {
            intent: 'fraud',
            known: 'amount,currency,merchant',
            asked: '',
            fraudAlertId: '',
            contextUnavailable: false,
            queue: 'fraud',
            priority: 2,
          },
        },
        at(1),
      ),
      routing(1, 'pending', 'handoff', 'fraud'),
      message(4, 'whatsapp', 'agent', 'Buongiorno, quale pagamento non riconosce?'),
      // The answer to that question is not counted a second time.
      message(5, 'whatsapp', 'customer', 'Quello di 49,90 € su Zalando'),
    ]);
    expect(effects.flatMap((e) => e.handoffs)).toEqual([
      {
        at: at(1),
        channel: 'whatsapp',
        received: {
          intent: 'fraud',
          knownKeys: ['amount', 'currency', 'merchant'],
          asked: null,
          fraudAlert: false,
          contextUnavailable: false,
        },
      },
    ]);
    const losses = effects.flatMap((e) => e.losses);
    expect(losses).toHaveLength(1);
    expect(losses[0]).toMatchObject({ kind: 'transaction', by: 'agent', afterHandoff: true });
    expect(losses[0]).toMatchObject({ journey: 'fraud', switchFrom: null });
    expect(state.handoffs).toBe(1);
  });

  it('measures fraud signal to resolution and the onboarding steps', () => {
    const alertId = randomUUID();
    const fraud = run([
      message(10, 'sms', 'customer', 'Mi hanno bloccato la carta'),
      routing(10, 'bot_active', 'fraud_alert_linked', 'fraud', { alertId, signalAt: at(0) }),
      routing(70, 'released', 'released', 'fraud'),
    ]).state;
    expect(fraud.journey).toBe('fraud');
    expect(fraud.fraudSignalAt).toBe(at(0));
    expect(fraud.resolvedAt).toBe(at(70));

    const onboarding = run([
      message(0, 'inapp', 'customer', 'Come apro il conto?'),
      routing(0, 'bot_active', 'intent', 'onboarding'),
      event({ kind: 'notice', code: 'ticket.resolved', detail: { ticketId: 'x' } }, at(30)),
    ]).state;
    expect(onboarding.onboardingStartedAt).toBe(at(0));
    expect(onboarding.onboardingIdentifiedAt).toBe(at(0));
    expect(onboarding.onboardingCompletedAt).toBe(at(30));
  });

  it('times customer messages by the provider’s send time: a journey written 3 days ago and answered now', () => {
    const DAY = 24 * 60;
    const now = 3 * DAY + 30;
    const { state, effects } = run([
      // Queued by Telegram while the bot was down: sent 3 days before it was stored.
      message(now, 'telegram', 'customer', 'Vorrei aprire un conto', [], 0),
      message(now, 'telegram', 'bot', 'Le passo un collega.'),
      // Back on WhatsApp, sent a minute before it was stored: the switch is timed then.
      message(now + 5, 'whatsapp', 'customer', 'Vi scrivo anche qui', [], now + 4),
      message(now + 6, 'whatsapp', 'agent', 'Eccomi.'),
      routing(now + 7, 'released', 'released'),
    ]);
    expect(state.startedAt).toBe(at(0));
    expect(state.switches).toEqual([{ at: at(now + 4), from: 'telegram', to: 'whatsapp' }]);
    expect(effects.flatMap((e) => e.switches)).toEqual(state.switches);
    const row = journeyColumns(state);
    // Bot and agent act at their own (real) time: first response and resolution span the wait.
    expect(row.firstResponseMs).toBe(now * 60_000);
    expect(row.resolutionMs).toBe((now + 7) * 60_000);
    expect(row.startedAt?.toISOString()).toBe(at(0));
  });

  it('falls back to the stored time for a send time after it, older than 7 days, or before the journey began', () => {
    const DAY = 24 * 60;
    expect(customerTimeOf(at(10), at(11), null)).toBe(at(10));
    expect(customerTimeOf(at(10), undefined, null)).toBe(at(10));
    expect(customerTimeOf(at(10), 'not a time', null)).toBe(at(10));
    expect(customerTimeOf(at(8 * DAY), at(0), null)).toBe(at(8 * DAY));
    expect(customerTimeOf(at(7 * DAY), at(0), null)).toBe(at(0));
    // A later message cannot reach back before the start: it is timed at the start.
    expect(customerTimeOf(at(60), at(5), at(20))).toBe(at(20));
    const { state } = run([
      message(100, 'sms', 'customer', 'Primo'),
      message(101, 'telegram', 'customer', 'Scritto prima, arrivato dopo', [], 50),
    ]);
    expect(state.startedAt).toBe(at(100));
    expect(state.switches).toEqual([{ at: at(100), from: 'sms', to: 'telegram' }]);
  });

  it('reads questions in Italian and English, and not statements', () => {
    expect(asksOf('Mi può dire le ultime 4 cifre della carta?')).toEqual(['card']);
    expect(asksOf('Which payment do you want to dispute?')).toEqual(['transaction']);
    expect(asksOf('Ho bloccato la carta che finisce con 4242.')).toEqual([]);
  });
});
