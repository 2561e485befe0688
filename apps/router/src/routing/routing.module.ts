import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { BotModule } from '../bot/bot.module';
import { ContextModule } from '../context/context.module';
import { ControlModule } from '../control/control.module';
import { EventsModule } from '../events/events.module';
import { IntentModule } from '../intent/intent.module';
import { ConversationRouterService } from './conversation-router.service';

/** Each stored customer message: intent, facts, fraud link, queue and priority, then the bot. */
@Module({
  imports: [RouterStoreModule, BotModule, ContextModule, ControlModule, EventsModule, IntentModule],
  providers: [ConversationRouterService],
  exports: [ConversationRouterService],
})
export class RoutingModule {}
