import { Injectable, Optional } from '@nestjs/common';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { IdentityChangeFeed } from './identity-change-feed';
import { consents, legalHolds } from '../compliance.schema';
import { approvals, conversationFacts, fraudAlerts, identityProofs } from '../context.schema';
import {
  channelIdentities,
  conversations,
  customers,
  dataKeys,
  messageStatusEvents,
  messages,
  tickets,
} from '../schema';

export interface MessagePurgeWindow {
  /** Holds (customers.legal_hold_until) running past this are active. */
  now: Date;
  /** Messages of conversations closed before this go. */
  closedBefore: Date;
  /** Conversations with a ticket (fraud alert, dispute: AML records) go only when closed before this. */
  ticketedClosedBefore: Date;
}

/**
 * No active legal hold on the conversation or its customer: neither an unreleased legal_holds row
 * nor a customers.legal_hold_until still running.
 */
const notHeld = (now: Date): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${legalHolds} WHERE ${legalHolds.releasedAt} IS NULL AND (${legalHolds.conversationId} = ${conversations.id} OR ${legalHolds.customerId} = ${conversations.customerId})) AND NOT EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${conversations.customerId} AND ${customers.legalHoldUntil} > ${now})`;
const hasTicket: SQL = sql`EXISTS (SELECT 1 FROM ${tickets} WHERE ${tickets.conversationId} = ${conversations.id})`;

/**
 * Bounded deletes for the retention purge: each call removes at most `limit` rows of one kind and
 * says how many it removed; the caller loops until a call removes fewer than `limit`.
 * Nothing under an active legal hold is ever selected.
 */
@Injectable()
export class RetentionRepository {
  constructor(
    private readonly h: DbHandle,
    // Purged contacts' identities leave every router instance's cache.
    @Optional() private readonly feed: IdentityChangeFeed = new IdentityChangeFeed(),
  ) {}

  /** Delivery status history recorded before `before`. */
  async purgeStatusEvents(before: Date, limit: number): Promise<number> {
    const victims = this.h.db
      .select({ messageId: messageStatusEvents.messageId, state: messageStatusEvents.state })
      .from(messageStatusEvents)
      .where(lt(messageStatusEvents.recordedAt, before))
      .limit(limit);
    const gone = await this.h.db
      .delete(messageStatusEvents)
      .where(sql`(${messageStatusEvents.messageId}, ${messageStatusEvents.state}) IN (${victims})`)
      .returning({ messageId: messageStatusEvents.messageId });
    return gone.length;
  }

  /** Messages (and their status history) of closed conversations past their retention. */
  async purgeClosedConversationMessages(w: MessagePurgeWindow, limit: number): Promise<number> {
    return this.h.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: messages.id })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(
          and(
            eq(conversations.status, 'closed'),
            lt(conversations.closedAt, w.closedBefore),
            notHeld(w.now),
            or(lt(conversations.closedAt, w.ticketedClosedBefore), sql`NOT ${hasTicket}`),
          ),
        )
        .limit(limit);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      await tx.delete(messageStatusEvents).where(inArray(messageStatusEvents.messageId, ids));
      const gone = await tx
        .delete(messages)
        .where(inArray(messages.id, ids))
        .returning({ id: messages.id });
      return gone.length;
    });
  }

  /**
   * Closed conversations left without messages (their preview is personal data too). Kept while a
   * ticket or any legal hold row refers to them.
   */
  async purgeEmptyClosedConversations(closedBefore: Date, limit: number): Promise<number> {
    const victims = this.h.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.status, 'closed'),
          lt(conversations.closedAt, closedBefore),
          sql`NOT EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id})`,
          sql`NOT ${hasTicket}`,
          sql`NOT EXISTS (SELECT 1 FROM ${legalHolds} WHERE ${legalHolds.conversationId} = ${conversations.id})`,
          // A fraud alert or an approval keeps its conversation (the bank must be able to show why).
          sql`NOT EXISTS (SELECT 1 FROM ${fraudAlerts} WHERE ${fraudAlerts.conversationId} = ${conversations.id})`,
          sql`NOT EXISTS (SELECT 1 FROM ${approvals} WHERE ${approvals.conversationId} = ${conversations.id})`,
        ),
      )
      .limit(limit);
    await this.h.db
      .delete(conversationFacts)
      .where(inArray(conversationFacts.conversationId, victims));
    const gone = await this.h.db
      .delete(conversations)
      .where(inArray(conversations.id, victims))
      .returning({ id: conversations.id });
    return gone.length;
  }

  /**
   * Unverified contacts (an address nobody proved) created before `before` that never got a
   * conversation or a ticket: their addresses, consents and the contact itself.
   */
  async purgeUnverifiedContacts(before: Date, now: Date, limit: number): Promise<number> {
    const purged: string[] = [];
    const n = await this.h.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.kind, 'contact'),
            lt(customers.createdAt, before),
            or(isNull(customers.legalHoldUntil), lt(customers.legalHoldUntil, now)),
            sql`NOT EXISTS (SELECT 1 FROM ${conversations} WHERE ${conversations.customerId} = ${customers.id})`,
            sql`NOT EXISTS (SELECT 1 FROM ${tickets} WHERE ${tickets.customerId} = ${customers.id})`,
            sql`NOT EXISTS (SELECT 1 FROM ${legalHolds} WHERE ${legalHolds.customerId} = ${customers.id})`,
            sql`NOT EXISTS (SELECT 1 FROM ${fraudAlerts} WHERE ${fraudAlerts.customerId} = ${customers.id})`,
            sql`NOT EXISTS (SELECT 1 FROM ${approvals} WHERE ${approvals.customerId} = ${customers.id})`,
            sql`NOT EXISTS (SELECT 1 FROM ${channelIdentities} WHERE ${channelIdentities.customerId} = ${customers.id} AND ${channelIdentities.status} = 'linked')`,
          ),
        )
        .limit(limit);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      await tx.delete(channelIdentities).where(inArray(channelIdentities.customerId, ids));
      await tx.delete(consents).where(inArray(consents.customerId, ids));
      await tx.delete(identityProofs).where(inArray(identityProofs.customerId, ids));
      // Their data keys go too: nothing they sealed can be opened again.
      await tx.delete(dataKeys).where(
        inArray(
          dataKeys.owner,
          ids.map((id) => `customer:${id}`),
        ),
      );
      const gone = await tx
        .delete(customers)
        .where(inArray(customers.id, ids))
        .returning({ id: customers.id });
      purged.push(...gone.map((r) => r.id));
      return gone.length;
    });
    await this.feed.changed({ customerIds: purged, keysDestroyed: true });
    return n;
  }
}

/** Legal holds: placed and released by compliance; the purge skips what they cover. */
@Injectable()
export class LegalHoldsRepository {
  constructor(private readonly h: DbHandle) {}

  async place(hold: {
    customerId?: string;
    conversationId?: string;
    reason: string;
    createdBy: string;
  }): Promise<string> {
    const [row] = await this.h.db
      .insert(legalHolds)
      .values({
        customerId: hold.customerId ?? null,
        conversationId: hold.conversationId ?? null,
        reason: hold.reason,
        createdBy: hold.createdBy,
      })
      .returning({ id: legalHolds.id });
    return row!.id;
  }

  async release(id: string): Promise<void> {
    await this.h.db
      .update(legalHolds)
      .set({ releasedAt: new Date() })
      .where(and(eq(legalHolds.id, id), isNull(legalHolds.releasedAt)));
  }
}
