import { Injectable } from '@nestjs/common';
import type { MessageView } from '@omnigate/contracts';
import {
  ConversationsRepository,
  IdentitiesRepository,
  MessagesRepository,
  toMessageView,
} from '@omnigate/store';
import type { ConversationRow } from '@omnigate/store';

export const RESUME_PAGE = 500;
const USERS_TTL_MS = 60_000;
const USERS_CACHE_MAX = 10_000;

export interface ResumePage {
  conversationId: string | null;
  /** Oldest first, every channel of the conversation. */
  messages: MessageView[];
  /** True when there is more after the last message: resume again from its seq. */
  hasMore: boolean;
}

/** The app user's view of the one open conversation of their customer (across every channel). */
@Injectable()
export class AppConversationService {
  private readonly usersByConversation = new Map<string, { users: string[]; at: number }>();

  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async openConversationOf(sub: string): Promise<ConversationRow | null> {
    const identity = await this.identities.findActive('inapp', sub);
    if (!identity) return null;
    return this.conversations.findOpenForCustomer(identity.customer.id);
  }

  async resume(sub: string, lastSeq: number): Promise<ResumePage> {
    const conversation = await this.openConversationOf(sub);
    if (!conversation) return { conversationId: null, messages: [], hasMore: false };
    const rows = await this.messages.listAfter(conversation.id, lastSeq, RESUME_PAGE);
    return {
      conversationId: conversation.id,
      messages: rows.map(toMessageView),
      hasMore: rows.length === RESUME_PAGE,
    };
  }

  /**
   * The app users (in-app addresses) of a conversation's customer, cached briefly: agent typing
   * reaches every instance, and each asks only for conversations it has not seen lately.
   */
  async appUsersOf(conversationId: string, now = Date.now()): Promise<string[]> {
    const cached = this.usersByConversation.get(conversationId);
    if (cached && now - cached.at < USERS_TTL_MS) return cached.users;
    const found = await this.conversations.get(conversationId);
    const users = found
      ? (await this.identities.listForCustomer(found.customer.id))
          .filter((i) => i.channel === 'inapp')
          .map((i) => i.address)
      : [];
    if (this.usersByConversation.size >= USERS_CACHE_MAX) this.usersByConversation.clear();
    this.usersByConversation.set(conversationId, { users, at: now });
    return users;
  }
}
