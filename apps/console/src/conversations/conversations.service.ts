import { Injectable } from '@nestjs/common';
import type { ConversationSummary, MessageView, Skill } from '@omnigate/contracts';
import { ConversationsReader, MessagesReader, toMessageView } from '@omnigate/store';
import type { MessageRow } from '@omnigate/store';
import { toConversationSummary, toStatusHistory } from './conversation-view.mapper';
import type { ListConversationsQuery, StatusEntry } from './conversations.dto';
import { ConversationNotFoundError } from './conversations.errors';

export interface ConversationTimeline {
  conversation: ConversationSummary;
  /** Every message across channels, oldest first, each with its channel and current status. */
  messages: MessageView[];
  /** Every delivery state each outbound message went through, oldest first. */
  statusHistory: Record<string, StatusEntry[]>;
}

const PAGE = 500;

/** Read side of the console: the list and one conversation's timeline, straight from the store. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsReader,
    private readonly messages: MessagesReader,
  ) {}

  /** Newest activity first, or by priority (`sort=priority`); `queues`: only these (an agent's). */
  async list(
    query: ListConversationsQuery,
    queues?: readonly Skill[],
  ): Promise<ConversationSummary[]> {
    const rows = await this.conversations.list(query.limit, query.status, query.sort, queues);
    return rows.map(toConversationSummary);
  }

  async timeline(id: string): Promise<ConversationTimeline> {
    const found = await this.conversations.get(id);
    if (!found) throw new ConversationNotFoundError(id);
    const rows = await this.allMessages(id);
    const history = await this.messages.statusHistory(
      rows.filter((m) => m.direction === 'outbound').map((m) => m.id),
    );
    return {
      conversation: toConversationSummary(found),
      messages: rows.map(toMessageView),
      statusHistory: toStatusHistory(history),
    };
  }

  private async allMessages(conversationId: string): Promise<MessageRow[]> {
    const out: MessageRow[] = [];
    for (let after = 0; ;) {
      const page = await this.messages.listAfter(conversationId, after, PAGE);
      out.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) return out;
      after = last.seq;
    }
  }
}
