import { Injectable } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { ConversationEventV1Schema, IntentSchema, Subjects } from '@omnigate/contracts';
import type {
  Channel,
  ConsentPurpose,
  ConsentSource,
  ConversationEventBody,
  Redaction,
} from '@omnigate/contracts';
import { toMessageView } from '@omnigate/store';
import type { ConversationRow, CustomerRow, MessageRow, RoutingRow } from '@omnigate/store';
import {
  EventMsgIds,
  toConversationEvent,
  toConversationSummary,
} from './conversation-event.mapper';

export type RoutingChange = Pick<
  RoutingRow,
  'conversationId' | 'queue' | 'priority' | 'control' | 'assignedAgent' | 'intent'
>;

/**
 * Publishes what consoles consume on `conv.v1.<id>.event`. Every event has a msgId derived from
 * the stored message, so publishing again after a redelivery is harmless.
 */
@Injectable()
export class ConversationEventsService {
  constructor(private readonly publisher: BusPublisher) {}

  async messageCreated(
    conversation: ConversationRow,
    customer: CustomerRow,
    message: MessageRow,
    /** The cards the gateway redacted from an inbound message (references, never numbers). */
    cards: readonly Redaction[] = [],
    /** An inbound message's provider send time (InboundMessage `sentAt`), when it has one. */
    sentAt?: string,
  ): Promise<void> {
    await this.publish(conversation.id, EventMsgIds.created(message.id), {
      kind: 'message.created',
      conversation: toConversationSummary(conversation, customer),
      message: toMessageView(message),
      ...(cards.length > 0 ? { cards: cards.map((c) => ({ ...c })) } : {}),
      ...(sentAt ? { sentAt } : {}),
    });
  }

  async messageStatus(message: MessageRow): Promise<void> {
    if (!message.status) return;
    await this.publish(message.conversationId, EventMsgIds.status(message.id, message.status), {
      kind: 'message.status',
      messageId: message.id,
      state: message.status,
      error: message.statusError ?? null,
    });
  }

  async consentChanged(message: MessageRow, channel: Channel, optedOut: boolean): Promise<void> {
    await this.publish(message.conversationId, EventMsgIds.consent(message.id), {
      kind: 'consent.changed',
      channel,
      optedOut,
    });
  }

  /** One consent decided outside a message (in the app); `msgId` names the decision. */
  async consentDecided(
    conversationId: string,
    msgId: string,
    change: { channel: Channel; purpose: ConsentPurpose; granted: boolean; source: ConsentSource },
  ): Promise<void> {
    await this.publish(conversationId, msgId, {
      kind: 'consent.changed',
      channel: change.channel,
      optedOut: !change.granted,
      purpose: change.purpose,
      source: change.source,
    });
  }

  /**
   * Queue, priority or who answers changed. `msgId` names the cause (the inbound message, the
   * control request), so a redelivered cause publishes nothing new.
   */
  async routingChanged(
    routing: RoutingChange,
    reason: string,
    msgId: string,
    fraudAlertId: string | null = null,
    fraudSignalAt: Date | null = null,
  ): Promise<void> {
    await this.publish(routing.conversationId, msgId, {
      kind: 'routing.changed',
      queue: routing.queue,
      priority: routing.priority,
      control: routing.control,
      assignedAgent: routing.assignedAgent,
      intent: IntentSchema.safeParse(routing.intent).data ?? null,
      reason,
      fraudAlertId,
      ...(fraudSignalAt ? { fraudSignalAt: fraudSignalAt.toISOString() } : {}),
    });
  }

  /** A timeline note for agents (handoff summary, step-up asked, …); ids and codes only. */
  async notice(
    conversationId: string,
    msgId: string,
    code: string,
    detail: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.publish(conversationId, msgId, { kind: 'notice', code, detail });
  }

  private async publish(
    conversationId: string,
    msgId: string,
    event: ConversationEventBody,
  ): Promise<void> {
    const payload = toConversationEvent(conversationId, msgId, event, new Date());
    await this.publisher.publish(
      Subjects.conversationEvent(conversationId),
      ConversationEventV1Schema,
      payload,
      { msgId },
    );
  }
}
