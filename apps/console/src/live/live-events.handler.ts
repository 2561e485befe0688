import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusSubscriber } from '@omnigate/bus';
import { ConversationEventV1Schema, Subjects } from '@omnigate/contracts';
import type { ConversationEventV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { LiveEvents } from './live.dto';
import { TypingSignalV1Schema } from '@omnigate/contracts';
import type { TypingSignalV1 } from '@omnigate/contracts';
import { LiveGateway } from './live.gateway';

const relayed = counter(
  'omnigate_console_live_relayed_total',
  'Bus events relayed to agent sockets',
  ['event'],
);

/**
 * Bus → agent sockets. Core NATS broadcast subscriptions: every console instance gets every event
 * and relays it to the agents connected to it. Nothing is replayed: after a reconnect the UI
 * reloads the list and the open timeline over HTTP.
 */
@Injectable()
export class LiveEventsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly subscriber: BusSubscriber,
    private readonly gateway: LiveGateway,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriber.subscribe(Subjects.conversationEventAll, ConversationEventV1Schema, (e) =>
      this.onConversationEvent(e),
    );
    this.subscriber.subscribe(Subjects.typingAll, TypingSignalV1Schema, (t) => this.onTyping(t));
  }

  onConversationEvent(event: ConversationEventV1): void {
    this.gateway.broadcast(LiveEvents.conversationEvent, event);
    relayed.inc({ event: event.event.kind });
  }

  /** Only the customer's typing: the agents' own signals go to the customer's channel, not back here. */
  onTyping(signal: TypingSignalV1): void {
    if (signal.who !== 'customer') return;
    this.gateway.broadcast(LiveEvents.typing, signal);
    relayed.inc({ event: 'typing' });
  }
}
