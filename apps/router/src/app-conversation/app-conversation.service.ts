import { Injectable } from '@nestjs/common';
import type {
  AppConversationResponseV1,
  AppHistoryResponseV1,
  AppReceiptsResponseV1,
  ConversationAppUsersResponseV1,
} from '@omnigate/contracts';
import {
  ConversationsRepository,
  IdentitiesRepository,
  MessagesRepository,
  toMessageView,
} from '@omnigate/store';
import type { ConversationRow } from '@omnigate/store';

export const APP_HISTORY_PAGE = 500;
const MAX_APP_USERS = 100;

/**
 * What an app user sees: the one open conversation of the customer their verified app identity
 * is linked to (every channel of it), and nothing else. The app user comes from the in-app
 * gateway, which took it from the login JWT it verified; only that gateway's NATS user may ask.
 */
@Injectable()
export class AppConversationService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async conversationOf(appUserId: string): Promise<AppConversationResponseV1> {
    return { conversationId: (await this.openConversationOf(appUserId))?.id ?? null };
  }

  async history(appUserId: string, afterSeq: number): Promise<AppHistoryResponseV1> {
    const conversation = await this.openConversationOf(appUserId);
    if (!conversation) return { conversationId: null, messages: [], hasMore: false };
    const rows = await this.messages.listAfter(conversation.id, afterSeq, APP_HISTORY_PAGE);
    return {
      conversationId: conversation.id,
      messages: rows.map(toMessageView),
      hasMore: rows.length === APP_HISTORY_PAGE,
    };
  }

  /** The in-app messages sent to the customer up to `upToSeq`, with their stored state. */
  async receipts(appUserId: string, upToSeq: number): Promise<AppReceiptsResponseV1> {
    const conversation = await this.openConversationOf(appUserId);
    if (!conversation) return { conversationId: null, outbound: [] };
    const rows = await this.messages.outboundUpTo(conversation.id, 'inapp', upToSeq);
    return {
      conversationId: conversation.id,
      outbound: rows.map((r) => ({ id: r.id, seq: r.seq, status: r.status })),
    };
  }

  /** The app users linked to a conversation's customer (an agent's typing reaches them). */
  async appUsersOf(conversationId: string): Promise<ConversationAppUsersResponseV1> {
    const found = await this.conversations.get(conversationId);
    const users = found
      ? (await this.identities.listForCustomer(found.customer.id))
          .filter((i) => i.channel === 'inapp')
          .map((i) => i.address)
      : [];
    return { appUserIds: users.slice(0, MAX_APP_USERS) };
  }

  private async openConversationOf(appUserId: string): Promise<ConversationRow | null> {
    const identity = await this.identities.findActive('inapp', appUserId);
    if (!identity) return null;
    return this.conversations.findOpenForCustomer(identity.customer.id);
  }
}
