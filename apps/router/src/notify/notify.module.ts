import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ConsentModule } from '../consent/consent.module';
import { CoreBankingModule } from '../core-banking/core-banking.module';
import { EventsModule } from '../events/events.module';
import { IntentModule } from '../intent/intent.module';
import { OutboundModule } from '../outbound/outbound.module';
import { ReplyModule } from '../reply/reply.module';
import { ConversationLanguageService } from './conversation-language.service';
import { NotifyService } from './notify.service';

/** Telling the customer what an agent did, in the app, by SMS, and on one more channel if needed. */
@Module({
  imports: [
    RouterStoreModule,
    ConsentModule,
    CoreBankingModule,
    EventsModule,
    IntentModule,
    OutboundModule,
    ReplyModule,
  ],
  providers: [NotifyService, ConversationLanguageService],
  exports: [NotifyService],
})
export class NotifyModule {}
