import { Injectable } from '@nestjs/common';
import { ConversationsReader } from '@omnigate/store';

const MAX_ENTRIES = 20_000;

/**
 * Which queue a conversation is in, for relaying live events to the agents of that queue.
 * Most events say it themselves (message.created carries the summary, routing.changed the new
 * queue); the others (status, typing, notices) find it here: remembered from the last event
 * that said it, else read once from the database. Every console instance sees every routing
 * change, so the memory follows the router; a missed one is corrected by the next event that
 * carries the queue.
 */
@Injectable()
export class ConversationQueues {
  private readonly known = new Map<string, string>();

  constructor(private readonly conversations: ConversationsReader) {}

  /** The last queue remembered, without a lookup. */
  peek(conversationId: string): string | undefined {
    return this.known.get(conversationId);
  }

  remember(conversationId: string, queue: string): void {
    this.known.delete(conversationId);
    this.known.set(conversationId, queue);
    if (this.known.size > MAX_ENTRIES) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** The queue, or null when the conversation is unknown here (then only "every queue" sees it). */
  async queueOf(conversationId: string): Promise<string | null> {
    const hit = this.known.get(conversationId);
    if (hit !== undefined) return hit;
    const found = await this.conversations.get(conversationId);
    if (!found) return null;
    this.remember(conversationId, found.conversation.queue);
    return found.conversation.queue;
  }
}
