import { Module } from '@nestjs/common';
import { ConversationEventsService } from './conversation-events.service';

/** Conversation events to the consoles (conv.v1.<conversationId>.event). */
@Module({
  providers: [ConversationEventsService],
  exports: [ConversationEventsService],
})
export class EventsModule {}
