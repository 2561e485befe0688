import { Injectable } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutboundSender, SendResult } from '@omnigate/gateway-kit';
import { toPush } from './inapp-push.mapper';

/**
 * The in-app side of the kit's send loop, its OutboundSender (msg.out.v1.inapp): the user's socket
 * may be held by any instance, so the message is pushed on core NATS to all of them and counts as
 * `sent` (the router stored it: the app gets it on `resume` even if no socket is connected; the
 * app's ack of the push is `delivered`). Our message id is the "provider" id: there is no other.
 * NATS down (BUS.UNAVAILABLE) is retried with backoff.
 */
@Injectable()
export class InappSender implements OutboundSender {
  readonly acceptedState = 'sent';

  constructor(private readonly bus: BusPublisher) {}

  recipientOf(msg: OutboundMessageV1): string {
    return msg.to.address.trim();
  }

  send(msg: OutboundMessageV1, to: string): Promise<SendResult> {
    const push = { ...toPush(msg), appUserId: to };
    this.bus.publishEphemeral(Subjects.inappPush(to), push);
    return Promise.resolve({ providerMessageId: msg.messageId });
  }
}
