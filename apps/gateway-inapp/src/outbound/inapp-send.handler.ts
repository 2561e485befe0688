import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { OutboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { BusConsumers, BusPublisher, Streams } from '@omnigate/bus';
import { InappStatusService } from '../receipts/inapp-status.service';
import { toPush } from './inapp-push.mapper';

export const SEND_DURABLE = 'gateway-inapp-send';

/**
 * Outbound to the app: the user's socket may be held by any instance, so the message is pushed
 * on core NATS to all of them, then counts as 'sent' (it is stored: the app gets it on `resume`
 * even if no socket is connected). A failed publish throws BUS.UNAVAILABLE: nak and retry.
 */
@Injectable()
export class InappSendHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: BusConsumers,
    private readonly bus: BusPublisher,
    private readonly status: InappStatusService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: SEND_DURABLE,
      filterSubject: Subjects.outbound('inapp'),
      schema: OutboundMessageV1Schema,
      concurrency: 8,
      keyOf: (m) => m.conversationId,
      handle: (m) => this.handle(m),
    });
  }

  async handle(out: OutboundMessageV1): Promise<void> {
    const push = toPush(out);
    this.bus.publishEphemeral(Subjects.inappPush(push.appUserId), push);
    await this.status.publish(out.messageId, 'sent');
  }
}
