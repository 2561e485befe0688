import { Injectable } from '@nestjs/common';
import { BusClient } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type { AppHistoryResponseV1, AppReceiptsResponseV1 } from '@omnigate/contracts';

const USERS_TTL_MS = 60_000;
const USERS_CACHE_MAX = 10_000;

/**
 * The app user's conversation, asked of the router (the gateway holds no database). `appUserId`
 * is always the `sub` of the JWT this gateway verified; router error codes pass to the app.
 */
@Injectable()
export class RouterConversationClient {
  private readonly usersByConversation = new Map<string, { users: string[]; at: number }>();

  constructor(private readonly bus: BusClient) {}

  /** Resume: the messages after `afterSeq` of the customer's open conversation, every channel. */
  history(appUserId: string, afterSeq: number): Promise<AppHistoryResponseV1> {
    return this.bus.request(RouterRequests.appHistory, { appUserId, afterSeq });
  }

  receipts(appUserId: string, upToSeq: number): Promise<AppReceiptsResponseV1> {
    return this.bus.request(RouterRequests.appReceipts, { appUserId, upToSeq });
  }

  async conversationOf(appUserId: string): Promise<string | null> {
    const res = await this.bus.request(RouterRequests.appConversation, { appUserId });
    return res.conversationId;
  }

  /**
   * The app users of a conversation's customer, cached briefly: agent typing reaches every
   * instance, and each asks only for conversations it has not seen lately.
   */
  async appUsersOf(conversationId: string, now = Date.now()): Promise<string[]> {
    const cached = this.usersByConversation.get(conversationId);
    if (cached && now - cached.at < USERS_TTL_MS) return cached.users;
    const { appUserIds } = await this.bus.request(RouterRequests.conversationAppUsers, {
      conversationId,
    });
    if (this.usersByConversation.size >= USERS_CACHE_MAX) this.usersByConversation.clear();
    this.usersByConversation.set(conversationId, { users: appUserIds, at: now });
    return appUserIds;
  }
}
