import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { OutboundDispatch } from './outbound-dispatch.service';

/** Hands stored outbound messages to their channel's gateway (msg.out.v1.<channel>). */
@Module({
  imports: [RouterStoreModule],
  providers: [OutboundDispatch],
  exports: [OutboundDispatch],
})
export class OutboundModule {}
