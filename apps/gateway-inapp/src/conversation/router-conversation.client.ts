import { Injectable } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  AppConversationRequestV1Schema,
  AppConversationResponseV1Schema,
  AppHistoryRequestV1Schema,
  AppHistoryResponseV1Schema,
  AppReceiptsRequestV1Schema,
  AppReceiptsResponseV1Schema,
  ConversationAppUsersRequestV1Schema,
  ConversationAppUsersResponseV1Schema,
  Subjects,
} from '@omnigate/contracts';
import type { AppHistoryResponseV1, AppReceiptsResponseV1 } from '@omnigate/contracts';

const TIMEOUT_MS = 5000;
const USERS_TTL_MS = 60_000;
const USERS_CACHE_MAX = 10_000;

/**
 * The app user's conversation, asked of the router (the gateway holds no database). `appUserId`
 * is always the `sub` of the JWT this gateway verified; router error codes pass to the app.
 */
@Injectable()
export class RouterConversationClient {
  private readonly usersByConversation = new Map<string, { users: string[]; at: number }>();

  constructor(private readonly rpc: BusRpc) {}

  /** Resume: the messages after `afterSeq` of the customer's open conversation, every channel. */
  history(appUserId: string, afterSeq: number): Promise<AppHistoryResponseV1> {
    return this.rpc.request(
      Subjects.rpc.appHistory,
      AppHistoryRequestV1Schema,
      { appUserId, afterSeq },
      AppHistoryResponseV1Schema,
      TIMEOUT_MS,
    );
  }

  receipts(appUserId: string, upToSeq: number): Promise<AppReceiptsResponseV1> {
    return this.rpc.request(
      Subjects.rpc.appReceipts,
      AppReceiptsRequestV1Schema,
      { appUserId, upToSeq },
      AppReceiptsResponseV1Schema,
      TIMEOUT_MS,
    );
  }

  async conversationOf(appUserId: string): Promise<string | null> {
    const res = await this.rpc.request(
      Subjects.rpc.appConversation,
      AppConversationRequestV1Schema,
      { appUserId },
      AppConversationResponseV1Schema,
      TIMEOUT_MS,
    );
    return res.conversationId;
  }

  /**
   * The app users of a conversation's customer, cached briefly: agent typing reaches every
   * instance, and each asks only for conversations it has not seen lately.
   */
  async appUsersOf(conversationId: string, now = Date.now()): Promise<string[]> {
    const cached = this.usersByConversation.get(conversationId);
    if (cached && now - cached.at < USERS_TTL_MS) return cached.users;
    const { appUserIds } = await this.rpc.request(
      Subjects.rpc.conversationAppUsers,
      ConversationAppUsersRequestV1Schema,
      { conversationId },
      ConversationAppUsersResponseV1Schema,
      TIMEOUT_MS,
    );
    if (this.usersByConversation.size >= USERS_CACHE_MAX) this.usersByConversation.clear();
    this.usersByConversation.set(conversationId, { users: appUserIds, at: now });
    return appUserIds;
  }
}
