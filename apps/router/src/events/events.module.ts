import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ConversationEventsService } from './conversation-events.service';

/** Conversation events to the consoles (conv.v1.<conversationId>.event). */
@Module({
  imports: [RouterStoreModule],
  providers: [ConversationEventsService],
  exports: [ConversationEventsService],
})
export class EventsModule {}
