import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, PermanentError, Streams } from '@omnigate/bus';
import { DeliveryStatusV1Schema, Subjects } from '@omnigate/contracts';
import type { DeliveryStatusV1 } from '@omnigate/contracts';
import { MessagesRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { ConversationEventsService } from '../events/conversation-events.service';
import { NotifyService } from '../notify/notify.service';

export const STATUS_DURABLE = 'router-status';

/**
 * Delivery states from the gateways. A state that moves the message forward is stored and
 * announced; a late or repeated one (sent after delivered) only lands in the history.
 */
@Injectable()
export class DeliveryStatusHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: BusConsumers,
    private readonly messages: MessagesRepository,
    private readonly events: ConversationEventsService,
    private readonly notify: NotifyService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_STATUS.name,
      durable: STATUS_DURABLE,
      filterSubject: Subjects.statusAll,
      schema: DeliveryStatusV1Schema,
      concurrency: this.config.ROUTER_CONCURRENCY,
      ackWaitMs: this.config.ROUTER_ACK_WAIT_MS,
      keyOf: (s) => s.messageId,
      handle: (s) => this.handle(s),
    });
  }

  async handle(status: DeliveryStatusV1): Promise<void> {
    const moved = await this.messages.applyStatus(
      status.messageId,
      status.state,
      status.error ?? null,
      new Date(status.occurredAt),
      status.providerMessageId,
    );
    if (moved) {
      await this.events.messageStatus(moved);
      // A customer notification that failed goes out once on another channel.
      await this.notify.onFailed(moved);
      return;
    }
    const current = await this.messages.get(status.messageId);
    if (!current) {
      throw new PermanentError('ROUTER.MESSAGE_NOT_FOUND', 'status for a message we never stored');
    }
    // A redelivery after a crash between storing and publishing: the state is already current,
    // so publish its event again (same msgId: a no-op if it went out the first time).
    if (current.status === status.state) {
      await this.events.messageStatus(current);
      await this.notify.onFailed(current);
    }
  }
}
