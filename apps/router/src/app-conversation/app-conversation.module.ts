import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { AppConversationRpcHandler } from './app-conversation-rpc.handler';
import { AppConversationService } from './app-conversation.service';

/** The in-app gateway's conversation requests: history, receipts, the conversation and its app users. */
@Module({
  imports: [RouterStoreModule],
  controllers: [AppConversationRpcHandler],
  providers: [AppConversationService],
})
export class AppConversationModule {}
