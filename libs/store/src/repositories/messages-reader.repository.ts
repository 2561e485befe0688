import { Injectable } from '@nestjs/common';
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { messages, messageStatusEvents } from '../schema';
import { DataOpener } from '../protection/data-opener';
import { openMessage } from '../protection/row-cipher';

export type MessageRow = typeof messages.$inferSelect;
export type MessageStatusEventRow = typeof messageStatusEvents.$inferSelect;

/** Messages and their delivery history as they are read (the console's view: it writes none). */
@Injectable()
export class MessagesReader {
  constructor(
    protected readonly h: DbHandle,
    protected readonly dp: DataOpener,
  ) {}

  /** The channel a message was received or sent on, without opening its body; null if unknown. */
  async channelOf(id: string): Promise<string | null> {
    const rows = await this.h.db
      .select({ channel: messages.channel })
      .from(messages)
      .where(eq(messages.id, id))
      .limit(1);
    return rows[0]?.channel ?? null;
  }

  async get(id: string): Promise<MessageRow | null> {
    const rows = await this.h.db.select().from(messages).where(eq(messages.id, id)).limit(1);
    return rows[0] ? openMessage(this.dp, rows[0]) : null;
  }

  /** Messages of a conversation after `afterSeq`, oldest first (timeline pages, in-app resume). */
  async listAfter(conversationId: string, afterSeq: number, limit = 500): Promise<MessageRow[]> {
    const rows = await this.h.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq))
      .limit(limit);
    return Promise.all(rows.map((m) => openMessage(this.dp, m)));
  }

  /** Every message of a customer, oldest first (export). */
  async listForCustomer(customerId: string): Promise<MessageRow[]> {
    const rows = await this.h.db
      .select()
      .from(messages)
      .where(eq(messages.customerId, customerId))
      .orderBy(asc(messages.createdAt), asc(messages.seq));
    return Promise.all(rows.map((m) => openMessage(this.dp, m)));
  }

  /** Outbound messages on a channel up to a seq that are not yet at `state` (read watermarks). */
  async outboundUpTo(
    conversationId: string,
    channel: string,
    upToSeq: number,
  ): Promise<MessageRow[]> {
    const rows = await this.h.db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          eq(messages.channel, channel),
          eq(messages.direction, 'outbound'),
          lte(messages.seq, upToSeq),
        ),
      )
      .orderBy(asc(messages.seq));
    return Promise.all(rows.map((m) => openMessage(this.dp, m)));
  }

  async statusHistory(messageIds: string[]): Promise<MessageStatusEventRow[]> {
    if (messageIds.length === 0) return [];
    return this.h.db
      .select()
      .from(messageStatusEvents)
      .where(inArray(messageStatusEvents.messageId, messageIds))
      .orderBy(asc(messageStatusEvents.occurredAt), asc(sql`recorded_at`));
  }
}
