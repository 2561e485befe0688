import { Inject, Injectable } from '@nestjs/common';
import { IntentSchema } from '@omnigate/contracts';
import { inSpan } from '@omnigate/kit';
import type { Intent } from '@omnigate/contracts';
import {
  ConversationFactsRepository,
  ConversationRoutingRepository,
  FraudAlertsRepository,
} from '@omnigate/store';
import type { ConversationRow, CustomerRow, MessageRow, RoutingRow } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { IntentClassifier } from '../intent/intent-classifier.port';
import { extractFacts, factsOfNewConversation } from '../facts/facts.mapper';
import type { CardRedactionRef } from '../facts/facts.mapper';
import { CustomerContextService } from '../context/customer-context.service';
import { ConversationEventsService } from '../events/conversation-events.service';
import { asChannel } from '../events/conversation-event.mapper';
import { BotService } from '../bot/bot.service';
import { ControlService } from '../control/control.service';
import { decideRouting, routingChanged } from './routing.mapper';
import type { Routing, RoutingDecision } from './routing.mapper';

/** Intents that can correlate with a fraud alert (the routing mapper decides which do). */
const CORRELATING: ReadonlySet<Intent> = new Set<Intent>(['fraud', 'card_blocked']);

export interface RoutedMessage {
  conversation: ConversationRow;
  customer: CustomerRow;
  message: MessageRow;
  /** Cards the gateway replaced by tokens in the text (their last four are facts). */
  redactions?: readonly CardRedactionRef[];
  /** Stored by this delivery (not a duplicate): nothing keyed to it can exist yet. */
  fresh?: boolean;
  /** This message opened the conversation: its facts are the conversation's only ones. */
  conversationCreated?: boolean;
}

/**
 * A customer's text message after it was stored: what it is about (intent), what it tells us
 * (facts, sealed), where the conversation goes (queue, priority, a fraud alert within the
 * window), then who answers: the bot while it is active, else the queue's agent. Idempotent: a
 * redelivery decides the same (the message's own time is "now") and changes nothing twice.
 */
@Injectable()
export class ConversationRouterService {
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly facts: ConversationFactsRepository,
    private readonly alerts: FraudAlertsRepository,
    private readonly routing: ConversationRoutingRepository,
    private readonly context: CustomerContextService,
    private readonly events: ConversationEventsService,
    private readonly control: ControlService,
    private readonly bot: BotService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async route(routed: RoutedMessage): Promise<void> {
    const { conversation, customer, message, redactions = [] } = routed;
    if (message.kind !== 'text' || !message.body.trim()) return;
    const result = this.classifier.classify(message.body);
    const facts = extractFacts(message.body, redactions, message.createdAt);
    await this.facts.remember(conversation.id, customer.id, facts, message.id);
    // The hot path decides from what routing needs (a row, and alerts or cards only for a fraud or
    // card message); the whole context is built only when the bot is about to answer from it.
    // The conversation row was just read back with the message: its routing columns are current.
    const stored = toRoutingRow(conversation);
    const current: Routing = {
      queue: stored.queue,
      priority: stored.priority,
      control: stored.control,
      intent: IntentSchema.safeParse(stored.intent).data ?? null,
    };
    // Fraud alerts exist only for bank customers (core events name a core-banking id).
    const correlating = CORRELATING.has(result.intent) && customer.kind === 'customer';
    const [alerts, fraudBlockedCard] = await Promise.all([
      correlating ? this.alerts.listOpen(customer.id) : Promise.resolve([]),
      result.intent === 'card_blocked'
        ? this.context.hasFraudBlockedCard(customer)
        : Promise.resolve(false),
    ]);
    const decision = decideRouting({
      current,
      intent: result.intent,
      alerts: alerts.map((a) => ({ id: a.id, kind: a.kind, occurredAt: a.occurredAt })),
      fraudBlockedCard,
      now: message.createdAt,
      windowMs: this.config.FRAUD_CORRELATION_WINDOW_MS,
    });
    const linked = await this.alerts.link(decision.linkAlerts, conversation.id);
    const signalAt = alerts.find((a) => a.id === linked[0])?.occurredAt ?? null;
    const row = await this.apply(
      stored,
      message.id,
      current,
      decision,
      linked[0] ?? null,
      signalAt,
    );
    // Waiting or answered by an agent: nothing more on the hot path. A waiting conversation is
    // assigned when an agent comes available or frees a slot (ControlService), not per message.
    if (row.control !== 'bot_active') return;
    // What this message already read is passed on, with the routing just written.
    const held = {
      conversation: { ...conversation, ...routingColumns(row) },
      customer,
      ...(routed.conversationCreated ? { facts: factsOfNewConversation(facts) } : {}),
    };
    const { context, identities } = await inSpan('router context', () =>
      this.context.withIdentities(conversation.id, held),
    );
    if (!this.config.ROUTER_BOT_ENABLED) {
      // No bot: straight to the queue, with what is known.
      await this.control.handoff(
        conversation.id,
        {
          intent: decision.next.intent,
          factKeys: (context.providedFacts ?? []).map((f) => f.key),
          asked: null,
          fraudAlertId: linked[0] ?? null,
          contextUnavailable: !context.available,
        },
        message.id,
      );
      return;
    }
    const answer = {
      conversationId: conversation.id,
      customerId: customer.id,
      messageId: message.id,
      channel: asChannel(message.channel),
      intent: decision.next.intent ?? result.intent,
      language: result.language,
      context: { ...context, routing: { ...decision.next, assignedAgent: row.assignedAgent } },
      fresh: routed.fresh === true,
      held: { conversation: held.conversation, customer, identities },
    };
    await inSpan('router bot', () => this.bot.answer(answer));
  }

  /** Persists a changed routing (compare-and-set on who answers) and announces it. */
  private async apply(
    stored: RoutingRow,
    messageId: string,
    current: Routing,
    decision: RoutingDecision,
    fraudAlertId: string | null,
    fraudSignalAt: Date | null,
  ): Promise<RoutingRow> {
    const { conversationId } = stored;
    if (!routingChanged(current, decision.next)) return stored;
    const row = await this.routing.update(conversationId, decision.next, [current.control]);
    if (row) {
      await this.events.routingChanged(
        row,
        decision.reason,
        `conv:${conversationId}:${messageId}:routing:${decision.reason}`,
        fraudAlertId,
        fraudSignalAt,
      );
      return row;
    }
    // An agent changed who answers meanwhile: the stored state rules.
    const now = await this.routing.get(conversationId);
    if (!now) throw new Error(`conversation ${conversationId} vanished`);
    return now;
  }
}

/** A routing row's columns as they sit on the conversation row. Pure. */
function routingColumns(r: RoutingRow): Partial<ConversationRow> {
  return {
    queue: r.queue,
    priority: r.priority,
    control: r.control,
    assignedAgent: r.assignedAgent,
    intent: r.intent,
  };
}

/** The routing columns of a conversation row. Pure. */
function toRoutingRow(c: ConversationRow): RoutingRow {
  return {
    conversationId: c.id,
    customerId: c.customerId,
    status: c.status,
    queue: c.queue,
    priority: c.priority,
    control: c.control,
    assignedAgent: c.assignedAgent,
    intent: c.intent,
    lastMessageAt: c.lastMessageAt,
  };
}
