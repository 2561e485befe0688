import type { ConversationEventV1 } from '@omnigate/contracts';
import { asksOf, mentionsOf } from './journey-mentions.mapper';
import type { ContextKind, Mention } from './journey-mentions.mapper';
import { REOPEN_WINDOW_MS, journeyOfQueue, noEffects } from './journey-state.mapper';
import { customerTimeOf } from './journey-time.mapper';
import type { ContextLoss, JourneyEffects, JourneyState } from './journey-state.mapper';

type Body = ConversationEventV1['event'];
type Created = Extract<Body, { kind: 'message.created' }>;
type RoutingChanged = Extract<Body, { kind: 'routing.changed' }>;
type Notice = Extract<Body, { kind: 'notice' }>;

/** Notices that mean the customer proved who they are during the conversation. */
const IDENTIFIED_NOTICES = new Set(['step_up.approved']);

/**
 * The journey projection's reducer: one conversation event in, the conversation's new journey
 * state and what to append (switches, context losses, hand-offs) out. Message texts are read in
 * memory for what they mention or ask, never kept. Pure: the caller makes it idempotent (an
 * event applied once) and ordered (one conversation's events one after the other).
 */
export function reduceJourney(
  previous: JourneyState,
  event: ConversationEventV1,
): { state: JourneyState; effects: JourneyEffects } {
  const state = structuredClone(previous);
  const effects = noEffects();
  const body = event.event;
  switch (body.kind) {
    case 'message.created':
      onMessage(state, effects, body);
      break;
    case 'routing.changed':
      onRouting(state, effects, body, event.occurredAt);
      break;
    case 'notice':
      onNotice(state, effects, body, event.occurredAt);
      break;
    case 'message.status':
    case 'consent.changed':
      break;
  }
  return { state, effects };
}

function onMessage(s: JourneyState, fx: JourneyEffects, body: Created): void {
  const { message, conversation } = body;
  const at = message.createdAt;
  s.customerId ??= conversation.customer.id;
  if (conversation.customer.verified && !s.verified) {
    s.verified = true;
    if (s.onboardingStartedAt && !s.onboardingIdentifiedAt) s.onboardingIdentifiedAt = at;
  }
  if (message.direction === 'inbound' && message.author.kind === 'customer') {
    onCustomerMessage(s, fx, body, customerTimeOf(at, body.sentAt, s.startedAt));
    return;
  }
  if (message.author.kind !== 'bot' && message.author.kind !== 'agent') return;
  if (message.author.kind === 'bot') s.botTurns += 1;
  else s.agentTurns += 1;
  if (s.startedAt && !s.firstResponseAt) s.firstResponseAt = at;
  for (const kind of asksOf(message.text)) {
    if (!s.known.some((k) => k.kind === kind)) continue;
    const item = s.known.find((k) => k.kind === kind)!;
    fx.losses.push(lossAt(s, at, kind, message.author.kind, item));
    if (!s.askedOpen.includes(kind)) s.askedOpen.push(kind);
  }
}

function onCustomerMessage(s: JourneyState, fx: JourneyEffects, body: Created, at: string): void {
  const { message } = body;
  const channel = message.channel;
  if (!s.startedAt) {
    s.startedAt = at;
    s.startChannel = channel;
  }
  if (s.lastChannel && s.lastChannel !== channel) {
    const sw = { at, from: s.lastChannel, to: channel };
    s.switches.push(sw);
    fx.switches.push(sw);
  }
  if (s.channels.at(-1) !== channel) s.channels.push(channel);
  s.lastChannel = channel;
  s.customerTurns += 1;
  if (message.kind !== 'text') return;
  if (s.resolvedAt) reopen(s, fx, at);
  const mentions = mentionsOf(s.conversationId, message.text, body.cards ?? [], new Date(at));
  noteMentions(s, fx, mentions, at);
  s.askedOpen = [];
}

/** A value said again is lost context, once per kind per message, unless it answers a question. */
function noteMentions(s: JourneyState, fx: JourneyEffects, mentions: Mention[], at: string): void {
  const lostKinds = new Set<ContextKind>();
  for (const m of mentions) {
    const known = s.known.find((k) => k.digest === m.digest);
    if (!known) {
      s.known.push({ ...m, switches: s.switches.length, handoffs: s.handoffs });
      continue;
    }
    if (lostKinds.has(m.kind) || s.askedOpen.includes(m.kind)) continue;
    lostKinds.add(m.kind);
    fx.losses.push(lossAt(s, at, m.kind, 'customer', known));
  }
}

function lossAt(
  s: JourneyState,
  at: string,
  kind: ContextKind,
  by: ContextLoss['by'],
  item: { switches: number; handoffs: number },
): ContextLoss {
  // The switch it was lost at: the latest one since the item became known.
  const sw = s.switches.length > item.switches ? s.switches.at(-1)! : null;
  return {
    at,
    kind,
    by,
    channel: s.lastChannel,
    switchFrom: sw?.from ?? null,
    switchTo: sw?.to ?? null,
    afterHandoff: s.handoffs > item.handoffs,
    journey: s.journey,
  };
}

function onRouting(s: JourneyState, fx: JourneyEffects, body: RoutingChanged, at: string): void {
  s.journey = journeyOfQueue(body.queue);
  if (body.fraudAlertId) {
    s.journey = 'fraud';
    s.fraudSignalAt ??= body.fraudSignalAt ?? at;
  }
  if (s.journey === 'onboarding' && !s.onboardingStartedAt) {
    s.onboardingStartedAt = at;
    if (s.verified) s.onboardingIdentifiedAt = at;
  }
  const before = s.control;
  s.control = body.control;
  if (before === 'bot_active' && (body.control === 'pending' || body.control === 'agent_active')) {
    s.handoffs += 1;
    fx.handoffs.push({ at, channel: s.lastChannel, received: s.pendingReceived });
    s.pendingReceived = null;
  }
  if (body.control === 'released' && before !== 'released') resolve(s, fx, at);
}

function onNotice(s: JourneyState, fx: JourneyEffects, body: Notice, at: string): void {
  if (body.code === 'handoff.summary') {
    const d = body.detail;
    s.pendingReceived = {
      intent: typeof d.intent === 'string' ? d.intent : 'other',
      knownKeys: typeof d.known === 'string' && d.known ? d.known.split(',') : [],
      asked: typeof d.asked === 'string' && d.asked ? d.asked : null,
      fraudAlert: typeof d.fraudAlertId === 'string' && d.fraudAlertId !== '',
      contextUnavailable: d.contextUnavailable === true,
    };
  } else if (body.code === 'ticket.resolved') {
    resolve(s, fx, at);
  } else if (IDENTIFIED_NOTICES.has(body.code) && s.onboardingStartedAt) {
    s.onboardingIdentifiedAt ??= at;
  }
}

function resolve(s: JourneyState, fx: JourneyEffects, at: string): void {
  if (s.resolvedAt) return;
  s.resolvedAt = at;
  s.firstResolvedAt ??= at;
  s.resolutions += 1;
  if (s.journey === 'onboarding' && s.onboardingStartedAt) s.onboardingCompletedAt ??= at;
  fx.resolved = { firstContact: s.resolutions === 1 };
}

/** The customer came back after a resolution: within 7 days it was not a first-contact one. */
function reopen(s: JourneyState, fx: JourneyEffects, at: string): void {
  const since = Date.parse(at) - Date.parse(s.resolvedAt!);
  s.resolvedAt = null;
  if (since <= REOPEN_WINDOW_MS && !s.reopenedWithin7d) {
    s.reopenedWithin7d = true;
    fx.reopened = true;
  }
}
