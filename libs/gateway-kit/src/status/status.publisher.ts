import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher, NatsConnection } from '@omnigate/bus';
import type { PublishAck } from '@omnigate/bus';
import {
  DeliveryStatusV1Schema,
  Subjects,
  deliveryStatusV1,
  statusMsgId,
} from '@omnigate/contracts';
import type { DeliveryState, DeliveryStatusDetails } from '@omnigate/contracts';
import { GatewayNotReadyError } from '../gateway-kit.errors';
import { gatewayMetrics } from '../gateway-kit.metrics';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';

/**
 * Delivery states of our messages on `msg.status.v1.<channel>`, deduplicated per (message, state)
 * so a provider's repeated callback or a redelivered send publishes each state once. Resolves
 * after JetStream acknowledged (a status webhook answers only then).
 */
@Injectable()
export class StatusPublisher {
  private readonly logger = new Logger('gateway-status');

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly bus: BusPublisher,
    private readonly conn: NatsConnection,
  ) {}

  async publish(
    messageId: string,
    state: DeliveryState,
    details: DeliveryStatusDetails = {},
  ): Promise<PublishAck> {
    if (!this.conn.streamsReady()) throw new GatewayNotReadyError();
    const channel = this.options.channel;
    const status = deliveryStatusV1(channel, messageId, state, details, randomUUID(), new Date());
    const ack = await this.bus.publish(Subjects.status(channel), DeliveryStatusV1Schema, status, {
      msgId: statusMsgId(messageId, state),
    });
    gatewayMetrics.statuses.inc({ channel, state });
    this.logger.log({
      msg: 'status published',
      channel,
      messageId,
      state,
      code: details.error?.code,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
    return ack;
  }
}
