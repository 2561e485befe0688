import type { ControlState, Intent, Skill } from '@omnigate/contracts';

/** The routing of a conversation as the rules see it. */
export interface Routing {
  queue: Skill;
  priority: number;
  control: ControlState;
  intent: Intent | null;
}

/** An open fraud signal of the customer, as correlation needs it. */
export interface AlertRef {
  id: string;
  kind: 'card_blocked_by_fraud' | 'sim_swap' | 'new_device';
  occurredAt: Date;
}

export interface RoutingInput {
  current: Routing;
  /** What the classifier saw in this message. */
  intent: Intent;
  /** Open alerts of the customer (any channel), newest first. */
  alerts: AlertRef[];
  /** A card of the customer is blocked by the fraud engine (from core banking, when known). */
  fraudBlockedCard: boolean;
  now: Date;
  windowMs: number;
}

export interface RoutingDecision {
  next: Routing;
  /** Alerts to link to the conversation (correlated within the window). */
  linkAlerts: string[];
  /** The customer asked for a person, or the journey needs one now. */
  handoff: boolean;
  /** Why, for the routing.changed event. */
  reason: string;
}

const CORRELATING: ReadonlySet<Intent> = new Set<Intent>(['fraud', 'card_blocked']);
/** Clock skew allowed between core banking's event time and ours. */
const FUTURE_SKEW_MS = 60_000;

/** The queue and priority an intent routes to on its own (no alert). Pure. */
export function queueFor(
  intent: Intent,
  fraudBlockedCard: boolean,
): { queue: Skill; priority: number } | null {
  switch (intent) {
    case 'fraud':
      return { queue: 'fraud', priority: 2 };
    case 'card_blocked':
      // A card blocked by the fraud engine is a fraud case even past the window.
      return fraudBlockedCard ? { queue: 'fraud', priority: 2 } : { queue: 'general', priority: 2 };
    case 'dispute':
      return { queue: 'disputes', priority: 3 };
    case 'onboarding':
      return { queue: 'onboarding', priority: 3 };
    case 'transfer_stuck':
      return { queue: 'general', priority: 3 };
    case 'human':
    case 'other':
      // Says nothing about the topic: the conversation stays where it is.
      return null;
  }
}

/** Open alerts that a fraud or card message at `now` correlates with. Pure. */
export function correlatedAlerts(
  intent: Intent,
  alerts: AlertRef[],
  now: Date,
  windowMs: number,
): AlertRef[] {
  if (!CORRELATING.has(intent)) return [];
  const from = now.getTime() - windowMs;
  const to = now.getTime() + FUTURE_SKEW_MS;
  return alerts.filter((a) => a.occurredAt.getTime() >= from && a.occurredAt.getTime() <= to);
}

/**
 * Where a customer message sends the conversation. A fraud or card message within the window of
 * an open alert: fraud queue, top priority. Otherwise the intent's queue; a message that says
 * nothing new ("ok", "an operator please") keeps the queue, and priority never drops within an
 * open conversation. A released conversation goes back to the bot. Pure.
 */
export function decideRouting(input: RoutingInput): RoutingDecision {
  const { current, intent } = input;
  const linked = correlatedAlerts(intent, input.alerts, input.now, input.windowMs);
  const target =
    linked.length > 0
      ? { queue: 'fraud' as const, priority: 1 }
      : queueFor(intent, input.fraudBlockedCard);
  const queue = target?.queue ?? current.queue;
  const priority = target ? Math.min(target.priority, current.priority) : current.priority;
  const control: ControlState = current.control === 'released' ? 'bot_active' : current.control;
  // 'other' keeps the journey the conversation is in, so a follow-up ("the one at Zalando") stays in it.
  const nextIntent = intent === 'other' && current.intent ? current.intent : intent;
  const handoff = intent === 'human' && control === 'bot_active';
  const reason =
    linked.length > 0
      ? 'fraud_alert_linked'
      : current.control === 'released'
        ? 'reopened'
        : 'intent';
  return {
    next: { queue, priority, control, intent: nextIntent },
    linkAlerts: linked.map((a) => a.id),
    handoff,
    reason,
  };
}

/** True when the decision changes anything stored. Pure. */
export function routingChanged(a: Routing, b: Routing): boolean {
  return (
    a.queue !== b.queue ||
    a.priority !== b.priority ||
    a.control !== b.control ||
    a.intent !== b.intent
  );
}
