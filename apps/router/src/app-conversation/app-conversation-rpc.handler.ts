import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  AppConversationRequestV1Schema,
  AppHistoryRequestV1Schema,
  AppReceiptsRequestV1Schema,
  ConversationAppUsersRequestV1Schema,
  Subjects,
} from '@omnigate/contracts';
import { RPC_QUEUE } from '../rpc/router-rpc.handler';
import { AppConversationService } from './app-conversation.service';

/** The in-app gateway's conversation requests (resume, receipts, typing); thin: the service decides. */
@Injectable()
export class AppConversationRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly app: AppConversationService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.appHistory,
      AppHistoryRequestV1Schema,
      (req) => this.app.history(req.appUserId, req.afterSeq),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.appReceipts,
      AppReceiptsRequestV1Schema,
      (req) => this.app.receipts(req.appUserId, req.upToSeq),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.appConversation,
      AppConversationRequestV1Schema,
      (req) => this.app.conversationOf(req.appUserId),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.conversationAppUsers,
      ConversationAppUsersRequestV1Schema,
      (req) => this.app.appUsersOf(req.conversationId),
      RPC_QUEUE,
    );
  }
}
