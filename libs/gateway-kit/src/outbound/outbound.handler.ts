import { Controller, Inject } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import { ChannelStreams } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { GatewayKitOptions } from '../gateway-kit.options';
import { OutboundSendLoop } from './send-loop.service';

/** The durable of a gateway's send loop: a wire contract (NATS permissions name it). */
export const sendDurableOf = (options: Pick<GatewayKitOptions, 'channel'>): string =>
  `gateway-${options.channel}-send`;

/**
 * The gateway's `@OnStream` handler of `msg.out.v1.<channel>` (durable `gateway-<channel>-send`),
 * in order per conversation, paced by the gateway's `<P>_SEND_*` settings. A class per gateway:
 * a decorator's declaration is fixed when the class is made, and the channel is known only when
 * the gateway's module is built.
 */
export function outboundHandler(options: GatewayKitOptions): Type {
  const { channel, send } = options;

  @Controller()
  class OutboundHandler {
    constructor(@Inject(OutboundSendLoop) private readonly loop: OutboundSendLoop) {}

    @OnStream(ChannelStreams.outbound[channel], {
      durable: sendDurableOf(options),
      keyOf: (msg) => msg.conversationId,
      maxDeliver: send.maxAttempts,
      backoffMs: send.backoffMs,
      concurrency: send.concurrency,
    })
    handle(msg: OutboundMessageV1): Promise<void> {
      return this.loop.handle(msg);
    }
  }
  return OutboundHandler;
}
