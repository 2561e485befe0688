import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { conversations, customers } from '../schema';
import type { Db } from '../database';
import { DataOpener } from '../protection/data-opener';
import { openConversation, openCustomer } from '../protection/row-cipher';

export type ConversationRow = typeof conversations.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;

export interface ConversationWithCustomer {
  conversation: ConversationRow;
  customer: CustomerRow;
}

/**
 * Conversations and their customers as they are read (the console's view: it may not write them).
 * One open per customer: a partial unique index makes it true across instances.
 */
@Injectable()
export class ConversationsReader {
  constructor(
    protected readonly h: DbHandle,
    protected readonly dp: DataOpener,
  ) {}

  async get(id: string): Promise<ConversationWithCustomer | null> {
    const rows = await this.h.db
      .select({ conversation: conversations, customer: customers })
      .from(conversations)
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .where(eq(conversations.id, id))
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  async findOpenForCustomer(
    customerId: string,
    db: Db = this.h.db,
  ): Promise<ConversationRow | null> {
    const rows = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.customerId, customerId), eq(conversations.status, 'open')))
      .limit(1);
    return rows[0] ? openConversation(this.dp, rows[0], db === this.h.db ? undefined : db) : null;
  }

  /**
   * Newest activity first; `priority`: top priority first, then the longest waiting (a queue's
   * order). `queues`: only conversations in these queues (an agent's); absent: every queue.
   */
  async list(
    limit: number,
    status: 'open' | 'closed' | 'all' = 'open',
    sort: 'recent' | 'priority' = 'recent',
    queues?: ReadonlyArray<ConversationRow['queue']>,
  ): Promise<ConversationWithCustomer[]> {
    const q = this.h.db
      .select({ conversation: conversations, customer: customers })
      .from(conversations)
      .innerJoin(customers, eq(customers.id, conversations.customerId));
    const filtered = q.where(
      and(
        status === 'all' ? undefined : eq(conversations.status, status),
        queues === undefined ? undefined : inArray(conversations.queue, [...queues]),
      ),
    );
    const order =
      sort === 'priority'
        ? [asc(conversations.priority), asc(conversations.lastMessageAt)]
        : [desc(conversations.lastMessageAt)];
    const rows = await filtered.orderBy(...order).limit(limit);
    return Promise.all(rows.map((r) => this.open(r)));
  }

  /** Every conversation of a customer, oldest first (export). */
  async listForCustomer(customerId: string): Promise<ConversationRow[]> {
    const rows = await this.h.db
      .select()
      .from(conversations)
      .where(eq(conversations.customerId, customerId))
      .orderBy(conversations.createdAt);
    return Promise.all(rows.map((r) => openConversation(this.dp, r)));
  }

  async getCustomer(customerId: string): Promise<CustomerRow | null> {
    const rows = await this.h.db.select().from(customers).where(eq(customers.id, customerId));
    return rows[0] ? openCustomer(this.dp, rows[0]) : null;
  }

  private async open(r: ConversationWithCustomer): Promise<ConversationWithCustomer> {
    return {
      conversation: await openConversation(this.dp, r.conversation),
      customer: await openCustomer(this.dp, r.customer),
    };
  }
}

/** The owner's side (the router): the reads, and the seq counter messages are appended with. */
@Injectable()
export class ConversationsRepository extends ConversationsReader {
  /** Hands out the next seq of a conversation; the row lock serialises writers of one conversation. */
  async nextSeq(db: Db, conversationId: string): Promise<number> {
    const rows = await db
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
      .where(eq(conversations.id, conversationId))
      .returning({ seq: conversations.lastSeq });
    const seq = rows[0]?.seq;
    if (seq === undefined) throw new Error(`conversation ${conversationId} vanished`);
    return seq;
  }
}
