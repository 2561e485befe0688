import { Injectable } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects, outboundMsgId } from '@omnigate/contracts';
import type { MessageRow } from '@omnigate/store';
import { asChannel } from '../events/conversation-event.mapper';
import { toOutboundMessage } from './outbound-message.mapper';
import type { HandOut } from './outbound-message.mapper';

/**
 * Hands a stored outbound message (agent reply, bot answer, notification, confirmation) to its
 * channel's gateway on msg.out.v1.<channel>. The stored message id is the JetStream dedupe key,
 * so handing the same message out twice sends it once.
 */
@Injectable()
export class OutboundDispatch {
  constructor(private readonly publisher: BusPublisher) {}

  async handOut(message: MessageRow, h: HandOut): Promise<void> {
    await this.publisher.publish(
      Subjects.outbound(asChannel(message.channel)),
      OutboundMessageV1Schema,
      toOutboundMessage(message, h),
      { msgId: outboundMsgId(message.id) },
    );
  }
}
