import { Controller } from '@nestjs/common';
import { OnStream, PermanentError } from '@omnigate/bus';
import type { MessageContext } from '@omnigate/bus';
import { StreamSubjects } from '@omnigate/contracts';
import type { DeliveryStatusV1 } from '@omnigate/contracts';
import { MessagesRepository } from '@omnigate/store';
import { statusRefusal } from '../claims/subject-claims.mapper';
import { refuseClaim } from '../claims/claim-refused.errors';
import { ConversationEventsService } from '../events/conversation-events.service';
import { NotifyService } from '../notify/notify.service';

export const STATUS_DURABLE = 'router-status';

/**
 * Delivery states from the gateways. A state that moves the message forward is stored and
 * announced; a late or repeated one (sent after delivered) only lands in the history.
 */
@Controller()
export class DeliveryStatusHandler {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly events: ConversationEventsService,
    private readonly notify: NotifyService,
  ) {}

  @OnStream(StreamSubjects.status, { durable: STATUS_DURABLE, keyOf: (s) => s.messageId })
  async handle(status: DeliveryStatusV1, ctx: Pick<MessageContext, 'subject'>): Promise<void> {
    // Believed only from the gateway that sent the message (its NATS user owns that subject):
    // the subject must name the status's channel, and the store updates only a message sent on it.
    const refusal = statusRefusal(ctx.subject, status.channel, status.channel);
    if (refusal) refuseClaim('status', refusal);
    const moved = await this.messages.applyStatus(
      status.messageId,
      status.state,
      status.error ?? null,
      new Date(status.occurredAt),
      status.providerMessageId,
      {
        sentOn: status.channel,
        believe: (sentOn) => {
          if (sentOn === null) {
            throw new PermanentError(
              'ROUTER.MESSAGE_NOT_FOUND',
              'status for a message we never stored',
            );
          }
          const wrong = statusRefusal(ctx.subject, status.channel, sentOn);
          if (wrong) refuseClaim('status', wrong);
        },
      },
    );
    if (moved) {
      await this.events.messageStatus(moved);
      // A customer notification that failed goes out once on another channel.
      await this.notify.onFailed(moved);
      return;
    }
    const current = await this.messages.get(status.messageId);
    // A redelivery after a crash between storing and publishing: the state is already current,
    // so publish its event again (same msgId: a no-op if it went out the first time).
    if (current && current.status === status.state) {
      await this.events.messageStatus(current);
      await this.notify.onFailed(current);
    }
  }
}
