import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { PanRedactor } from '@omnigate/crypto';
import { ConsentModule } from '../consent/consent.module';
import { ControlModule } from '../control/control.module';
import { EventsModule } from '../events/events.module';
import { OutboundModule } from '../outbound/outbound.module';
import { IdentityCacheModule } from '../identity/identity-cache.module';
import { REPLY_REDACTOR, SendReplyService } from './send-reply.service';

/** Replies of agents and the bot: stored, checked against consent, handed to a channel. */
@Module({
  imports: [
    RouterStoreModule,
    ConsentModule,
    ControlModule,
    EventsModule,
    OutboundModule,
    IdentityCacheModule,
  ],
  providers: [
    // An agent's reply never carries a card number out: it is replaced by a reference.
    { provide: REPLY_REDACTOR, useFactory: () => new PanRedactor() },
    SendReplyService,
  ],
  exports: [SendReplyService, REPLY_REDACTOR],
})
export class ReplyModule {}
