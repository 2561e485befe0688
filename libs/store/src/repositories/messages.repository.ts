import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, eq, getTableColumns, inArray, isNull, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { DELIVERY_STATES, isStatusProgress } from '@omnigate/contracts';
import type { DeliveryState } from '@omnigate/contracts';
import { DbHandle } from '../db-handle';
import { conversations, messages, messageStatusEvents } from '../schema';
import type { StoredAttachment } from '../schema';
import type { Db } from '../database';
import { isUniqueViolation } from '../db-errors';
import { DataProtection, customerOwner } from '../protection/data-protection';
import { MessagesReader } from './messages-reader.repository';
import type { MessageRow } from './messages-reader.repository';
import { openConversation, openMessage } from '../protection/row-cipher';
import type { ConversationRow } from './conversations.repository';

export type { MessageRow };

export interface NewInbound {
  customerId: string;
  channel: string;
  address: string;
  ourAddress: string;
  kind: MessageRow['kind'];
  body: string;
  attachments: StoredAttachment[];
  providerMessageId: string;
  dedupeKey: string;
  clientMsgId: string | null;
  /** Warnings for the agent (codes, never personal data), e.g. email_dmarc_fail. */
  flags?: string[];
  receivedAt: Date;
}

export interface NewOutbound {
  conversationId: string;
  channel: string;
  address: string;
  body: string;
  authorKind: 'agent' | 'bot' | 'system';
  authorId: string;
  dedupeKey: string;
  /** The conversation's customer, when the caller holds it: spares reading the conversation. */
  customerId?: string;
}

export interface AppendResult {
  message: MessageRow;
  conversation: ConversationRow;
  duplicate: boolean;
  conversationCreated: boolean;
}

const PREVIEW = 140;

/** In the conversation upsert: the proposed value when the message is not older than the stored one. */
function newerOr(column: AnyPgColumn, excludedName: string): SQL {
  return sql`CASE WHEN excluded.last_message_at >= ${conversations.lastMessageAt} THEN ${sql.raw(`excluded.${excludedName}`)} ELSE ${column} END`;
}

/** An inbound message with its personal fields sealed for the customer. */
interface SealedInbound extends NewInbound {
  lastAddress: string;
  preview: string;
}

/** Who a delivery status claims to come from (the gateway of the channel the message went out on). */
export interface StatusClaim {
  sentOn: string;
  /** Sees the channel a message that the status did not move was sent on (null: none); may throw. */
  believe: (sentOn: string | null) => void;
}

/** Rolls back an append (inbound or outbound) whose dedupe key is already stored. */
class DuplicateMessage extends Error {}

/** Messages and their delivery history, written. Every write is idempotent on its dedupe key. */
@Injectable()
export class MessagesRepository extends MessagesReader {
  constructor(
    h: DbHandle,
    private readonly protection: DataProtection,
  ) {
    super(h, protection);
  }

  /**
   * Stores an inbound message in the customer's one open conversation (opening one if needed).
   * Hot path: one transaction of two statements. The conversation upsert hands out the seq
   * atomically (the partial unique index is the conflict target); a message whose dedupe key
   * exists already rolls the transaction back and the stored one is returned instead.
   */
  async appendInbound(input: NewInbound): Promise<AppendResult> {
    const owner = customerOwner(input.customerId);
    const sealed: SealedInbound = {
      ...input,
      body: await this.protection.seal(owner, 'messages.body', input.body),
      address: await this.protection.seal(owner, 'messages.address', input.address),
      lastAddress: await this.protection.seal(owner, 'conversations.last_address', input.address),
      preview: await this.protection.seal(
        owner,
        'conversations.preview',
        input.body.slice(0, PREVIEW),
      ),
      // An in-app id carries the app user's id: sealed, and found again through a blind index.
      providerMessageId: await this.protection.seal(
        owner,
        'messages.provider_id',
        input.providerMessageId,
      ),
      clientMsgId: await this.protection.sealNullable(
        owner,
        'messages.client_msg_id',
        input.clientMsgId,
      ),
      dedupeKey: this.dedupeIndex(input.dedupeKey),
      attachments: await Promise.all(
        input.attachments.map(async (a) =>
          a.filename === undefined
            ? a
            : {
                ...a,
                filename: await this.protection.seal(owner, 'messages.attachment_name', a.filename),
              },
        ),
      ),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.h.db.transaction((tx) =>
          this.appendInboundTx(tx as unknown as Db, sealed),
        );
        return {
          ...r,
          message: await openMessage(this.dp, r.message),
          conversation: await openConversation(this.dp, r.conversation),
        };
      } catch (e) {
        if (e instanceof DuplicateMessage) return this.existingInbound(input.dedupeKey);
        // Two writers opening the first conversation of a customer at once: the loser retries.
        if (attempt < 2 && isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  private async appendInboundTx(tx: Db, input: SealedInbound): Promise<AppendResult> {
    const [conversation] = await tx
      .insert(conversations)
      .values({
        customerId: input.customerId,
        status: 'open',
        lastChannel: input.channel,
        lastAddress: input.lastAddress,
        lastOurAddress: input.ourAddress,
        channels: [input.channel],
        lastSeq: 1,
        lastMessageAt: input.receivedAt,
        lastMessagePreview: input.preview,
      })
      .onConflictDoUpdate({
        target: conversations.customerId,
        targetWhere: sql`status = 'open'`,
        set: {
          lastSeq: sql`${conversations.lastSeq} + 1`,
          // Messages of one customer on two channels are handled concurrently: only one that is not
          // older than what is stored moves "where the customer wrote last".
          lastChannel: newerOr(conversations.lastChannel, 'last_channel'),
          lastAddress: newerOr(conversations.lastAddress, 'last_address'),
          lastOurAddress: newerOr(conversations.lastOurAddress, 'last_our_address'),
          lastMessagePreview: newerOr(conversations.lastMessagePreview, 'last_message_preview'),
          lastMessageAt: sql`GREATEST(${conversations.lastMessageAt}, excluded.last_message_at)`,
          channels: sql`CASE WHEN ${conversations.channels} @> jsonb_build_array(${input.channel}::text) THEN ${conversations.channels} ELSE ${conversations.channels} || jsonb_build_array(${input.channel}::text) END`,
        },
      })
      .returning({ ...getTableColumns(conversations), created: sql<boolean>`(xmax = 0)` });
    const { created, ...conv } = conversation!;
    const [message] = await tx
      .insert(messages)
      .values({
        id: randomUUID(),
        conversationId: conv.id,
        customerId: input.customerId,
        seq: conv.lastSeq,
        direction: 'inbound',
        channel: input.channel,
        kind: input.kind,
        body: input.body,
        attachments: input.attachments,
        authorKind: 'customer',
        authorId: input.customerId,
        address: input.address,
        providerMessageId: input.providerMessageId,
        dedupeKey: input.dedupeKey,
        clientMsgId: input.clientMsgId,
        flags: input.flags?.length ? input.flags : null,
        createdAt: input.receivedAt,
      })
      .onConflictDoNothing({ target: messages.dedupeKey })
      .returning();
    if (!message) throw new DuplicateMessage();
    return { message, conversation: conv, duplicate: false, conversationCreated: Boolean(created) };
  }

  private async existingInbound(dedupeKey: string): Promise<AppendResult> {
    const existing = await this.byDedupeKey(this.h.db, dedupeKey);
    if (!existing) throw new Error(`message ${dedupeKey} vanished`);
    const conv = await this.h.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, existing.conversationId));
    return {
      message: existing,
      conversation: await openConversation(this.dp, conv[0]!),
      duplicate: true,
      conversationCreated: false,
    };
  }

  /**
   * Stores an outbound message (an agent's reply) with no delivery state yet. One update hands out
   * the seq and moves the preview (`returning` gives the row); a caller that names the customer
   * spares the read of the conversation that otherwise finds whose key seals the text.
   */
  async appendOutbound(input: NewOutbound): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        let used: Db | undefined;
        const result = await this.h.db.transaction(async (txRaw) => {
          const tx = (used = txRaw as unknown as Db);
          const customerId = input.customerId ?? (await this.customerOf(tx, input.conversationId));
          return this.appendOutboundTx(tx, { ...input, customerId });
        });
        if (used) this.protection.committed(used);
        return result;
      } catch (e) {
        if (e instanceof DuplicateMessage) return this.existingOutbound(input.dedupeKey);
        if (attempt < 2 && isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  private async appendOutboundTx(
    tx: Db,
    input: NewOutbound & { customerId: string },
  ): Promise<AppendResult> {
    const owner = customerOwner(input.customerId);
    const now = new Date();
    const preview = input.body.slice(0, PREVIEW);
    const [conversation] = await tx
      .update(conversations)
      .set({
        lastSeq: sql`${conversations.lastSeq} + 1`,
        lastMessageAt: now,
        lastMessagePreview: await this.protection.seal(owner, 'conversations.preview', preview, tx),
      })
      .where(
        and(
          eq(conversations.id, input.conversationId),
          eq(conversations.customerId, input.customerId),
        ),
      )
      .returning();
    if (!conversation) throw new Error(`conversation ${input.conversationId} not found`);
    const [message] = await tx
      .insert(messages)
      .values({
        id: randomUUID(),
        conversationId: conversation.id,
        customerId: conversation.customerId,
        seq: conversation.lastSeq,
        direction: 'outbound',
        channel: input.channel,
        kind: 'text',
        body: await this.protection.seal(owner, 'messages.body', input.body, tx),
        attachments: [],
        authorKind: input.authorKind,
        authorId: input.authorId,
        address: await this.protection.seal(owner, 'messages.address', input.address, tx),
        dedupeKey: this.dedupeIndex(input.dedupeKey),
        createdAt: now,
      })
      .onConflictDoNothing({ target: messages.dedupeKey })
      .returning();
    // Stored before (a retry): the seq handed out above rolls back with the transaction.
    if (!message) throw new DuplicateMessage();
    // Opened from what was just sealed: the plaintext is at hand, no key is needed.
    return {
      message: { ...message, body: input.body, address: input.address },
      conversation: await openConversation(this.dp, conversation, tx),
      duplicate: false,
      conversationCreated: false,
    };
  }

  /** The same dedupe key again: the stored message, with its conversation as it is now. */
  private async existingOutbound(dedupeKey: string): Promise<AppendResult> {
    const existing = await this.byDedupeKey(this.h.db, dedupeKey);
    if (!existing) throw new Error(`message ${dedupeKey} vanished`);
    const rows = await this.h.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, existing.conversationId));
    if (!rows[0]) throw new Error(`conversation ${existing.conversationId} not found`);
    return {
      message: existing,
      conversation: await openConversation(this.dp, rows[0]),
      duplicate: true,
      conversationCreated: false,
    };
  }

  private async customerOf(tx: Db, conversationId: string): Promise<string> {
    const rows = await tx
      .select({ customerId: conversations.customerId })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    if (!rows[0]) throw new Error(`conversation ${conversationId} not found`);
    return rows[0].customerId;
  }

  /**
   * Records a delivery state. Returns the message when its current state moved forward, null when
   * the event was a repeat or arrived late (delivered after read): statuses race on the wire.
   * One conditional update does it (the progress rule in its WHERE), then the history row. With
   * `claim`, the message must have been sent on `claim.sentOn`; a status that moved nothing reads
   * the message's channel, and `claim.believe` sees it (null: no such message) and may throw to
   * refuse the status before anything of it is written.
   */
  async applyStatus(
    messageId: string,
    state: DeliveryState,
    error: { code: string; reason: string } | null,
    occurredAt: Date,
    providerMessageId?: string,
    claim?: StatusClaim,
  ): Promise<MessageRow | null> {
    const from = DELIVERY_STATES.filter((s) => isStatusProgress(s, state));
    const behind = from.length
      ? or(isNull(messages.status), inArray(messages.status, from))
      : isNull(messages.status);
    const [moved] = await this.h.db
      .update(messages)
      .set({
        status: state,
        statusError: error,
        updatedAt: new Date(),
        // The first provider id stays (a later status may carry another one).
        ...(providerMessageId
          ? {
              providerMessageId: sql`coalesce(${messages.providerMessageId}, ${providerMessageId})`,
            }
          : {}),
      })
      .where(
        and(
          eq(messages.id, messageId),
          behind,
          claim ? eq(messages.channel, claim.sentOn) : undefined,
        ),
      )
      .returning();
    if (!moved) {
      const rows = await this.h.db
        .select({ channel: messages.channel })
        .from(messages)
        .where(eq(messages.id, messageId))
        .limit(1);
      claim?.believe(rows[0]?.channel ?? null);
      if (!rows[0]) return null;
    }
    await this.h.db
      .insert(messageStatusEvents)
      .values({
        messageId,
        state,
        errorCode: error?.code ?? null,
        errorReason: error?.reason ?? null,
        occurredAt,
      })
      .onConflictDoNothing();
    return moved ? openMessage(this.dp, moved) : null;
  }

  /** Dedupe keys may name the sender (in-app ids): stored as a blind index when encryption is on. */
  private dedupeIndex(key: string): string {
    return this.protection.index('dedupe', key);
  }

  async byDedupeKey(db: Db, dedupeKey: string): Promise<MessageRow | null> {
    const rows = await db
      .select()
      .from(messages)
      .where(eq(messages.dedupeKey, this.dedupeIndex(dedupeKey)))
      .limit(1);
    return rows[0] ? openMessage(this.dp, rows[0], db === this.h.db ? undefined : db) : null;
  }
}
