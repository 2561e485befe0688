import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  AppConversationRequestV1,
  AppHistoryRequestV1,
  AppReceiptsRequestV1,
  ConversationAppUsersRequestV1,
} from '@omnigate/contracts';
import { AppConversationService } from './app-conversation.service';

/** The in-app gateway's conversation requests (resume, receipts, typing); thin: the service decides. */
@Controller()
export class AppConversationRpcHandler {
  constructor(private readonly app: AppConversationService) {}

  @OnRequest(RouterRequests.appHistory)
  history(req: AppHistoryRequestV1) {
    return this.app.history(req.appUserId, req.afterSeq);
  }

  @OnRequest(RouterRequests.appReceipts)
  receipts(req: AppReceiptsRequestV1) {
    return this.app.receipts(req.appUserId, req.upToSeq);
  }

  @OnRequest(RouterRequests.appConversation)
  conversation(req: AppConversationRequestV1) {
    return this.app.conversationOf(req.appUserId);
  }

  @OnRequest(RouterRequests.conversationAppUsers)
  appUsers(req: ConversationAppUsersRequestV1) {
    return this.app.appUsersOf(req.conversationId);
  }
}
