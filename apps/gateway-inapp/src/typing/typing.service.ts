import { Inject, Injectable, Logger } from '@nestjs/common';
import { Subjects } from '@omnigate/contracts';
import { BusPublisher } from '@omnigate/bus';
import { AppError } from '@omnigate/kit';
import { INAPP_CONFIG } from '../config/gateway-inapp.config';
import type { GatewayInappConfig } from '../config/gateway-inapp.config';
import { RouterConversationClient } from '../conversation/router-conversation.client';
import { ServerEvents } from '../socket/inapp-protocol.v1';
import { SocketRegistry } from '../socket/socket-registry.service';
import type { AppSocket } from '../socket/socket-registry.service';
import type { TypingSignalV1, TypingState } from '@omnigate/contracts';
import { TypingThrottle } from './typing-throttle';

/**
 * Typing indicators both ways: ephemeral (core NATS), throttled, never stored. The agents' side
 * arrives through TypingHandler (`@OnBroadcast`).
 */
@Injectable()
export class TypingService {
  private readonly logger = new Logger('inapp-typing');
  private readonly throttle: TypingThrottle;

  constructor(
    private readonly bus: BusPublisher,
    private readonly conversations: RouterConversationClient,
    private readonly registry: SocketRegistry,
    @Inject(INAPP_CONFIG) config: GatewayInappConfig,
  ) {
    this.throttle = new TypingThrottle(config.INAPP_TYPING_THROTTLE_MS);
  }

  /** The customer types in the app. Dropped silently when throttled or without a conversation yet. */
  async fromCustomer(socket: AppSocket, state: TypingState): Promise<void> {
    if (!this.throttle.admit(socket.id, state, Date.now())) return;
    await this.publish(socket.data.principal.sub, state);
  }

  /** A socket that goes away while typing sends its `stop`. */
  async socketGone(socket: AppSocket): Promise<void> {
    if (!this.throttle.forget(socket.id) || !socket.data.principal) return;
    await this.publish(socket.data.principal.sub, 'stop').catch((e: unknown) =>
      this.logger.warn({
        msg: 'typing stop not sent',
        code: e instanceof AppError ? e.code : 'INTERNAL',
      }),
    );
  }

  private async publish(sub: string, state: TypingState): Promise<void> {
    const conversationId = await this.conversations.conversationOf(sub);
    if (!conversationId) return;
    const signal: TypingSignalV1 = { conversationId, who: 'customer', state };
    this.bus.publishEphemeral(Subjects.typing(conversationId), signal);
  }

  /** An agent types: to the sockets this instance holds for the conversation's app users. */
  async relayAgentTyping(signal: TypingSignalV1): Promise<void> {
    if (signal.who !== 'agent' || this.registry.isEmpty()) return;
    for (const sub of await this.conversations.appUsersOf(signal.conversationId)) {
      for (const socket of this.registry.socketsOf(sub)) socket.emit(ServerEvents.typing, signal);
    }
  }
}
