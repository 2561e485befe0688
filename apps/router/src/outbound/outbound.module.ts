import { Module } from '@nestjs/common';
import { OutboundDispatch } from './outbound-dispatch.service';

/** Hands stored outbound messages to their channel's gateway (msg.out.v1.<channel>). */
@Module({
  providers: [OutboundDispatch],
  exports: [OutboundDispatch],
})
export class OutboundModule {}
