import { Controller } from '@nestjs/common';
import { OnBroadcast } from '@omnigate/bus';
import { BroadcastSubjects } from '@omnigate/contracts';
import type { ConversationEventV1, TypingSignalV1 } from '@omnigate/contracts';
import { counter, inSpanSync } from '@omnigate/kit';
import { maskConversationEvent } from '../privacy/personal-data.mapper';
import { ConversationQueues } from './conversation-queues.service';
import { LiveEvents } from './live.dto';
import { LiveGateway } from './live.gateway';

const relayed = counter(
  'omnigate_console_live_relayed_total',
  'Bus events relayed to agent sockets',
  ['event'],
);

/** The queue an event names itself, if any. Pure. */
export function queueInEvent(e: ConversationEventV1): string | undefined {
  switch (e.event.kind) {
    case 'message.created':
      return e.event.conversation.queue;
    case 'routing.changed':
      return e.event.queue;
    case 'message.status':
    case 'consent.changed':
    case 'notice':
      return undefined;
  }
}

/**
 * Bus → agent sockets. Core NATS broadcasts (@OnBroadcast): every console instance gets every event
 * and relays it to the sockets connected to it whose session may see the conversation's queue
 * (agents get a masked copy). Nothing is replayed: after a reconnect the UI reloads over HTTP.
 * Events of one conversation are relayed in the order they arrived, even when the queue of one
 * of them has to be looked up.
 */
@Controller()
export class LiveEventsHandler {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly gateway: LiveGateway,
    private readonly queues: ConversationQueues,
  ) {}

  @OnBroadcast(BroadcastSubjects.conversationEvents)
  onConversationEvent(event: ConversationEventV1): Promise<void> {
    return this.inOrder(event.conversationId, async () => {
      const id = event.conversationId;
      const previous = this.queues.peek(id);
      const named = queueInEvent(event);
      if (named !== undefined) this.queues.remember(id, named);
      const queue = named ?? (await this.queues.queueOf(id));
      // A conversation moved to another queue: its old queue's agents see it leave.
      const rooms = previous !== undefined && previous !== queue ? [queue, previous] : [queue];
      const relay = () =>
        this.gateway.relay(
          rooms,
          LiveEvents.conversationEvent,
          event,
          maskConversationEvent(event),
        );
      inSpanSync('console emit', relay, { attributes: { 'omnigate.event': event.event.kind } });
      relayed.inc({ event: event.event.kind });
    });
  }

  /** Only the customer's typing: the agents' own signals go to the customer's channel, not back here. */
  @OnBroadcast(BroadcastSubjects.typing)
  onTyping(signal: TypingSignalV1): Promise<void> {
    if (signal.who !== 'customer') return Promise.resolve();
    return this.inOrder(signal.conversationId, async () => {
      const queue = await this.queues.queueOf(signal.conversationId);
      this.gateway.relay([queue], LiveEvents.typing, signal, signal);
      relayed.inc({ event: 'typing' });
    });
  }

  private inOrder(conversationId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(conversationId) ?? Promise.resolve()).then(work);
    const tail = next.catch(() => undefined);
    this.tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return next;
  }
}
