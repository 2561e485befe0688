import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { emailMessages } from './email-schema';
import { DataProtection } from '../protection/data-protection';
import type { KeyOwner } from '../protection/data-protection';

export const mailOwner = (messageId: string): KeyOwner => `mail:${messageId}`;

export type EmailMessageRow = typeof emailMessages.$inferSelect;
export type NewEmailMessage = Omit<EmailMessageRow, 'createdAt'> & { createdAt?: Date };

/** Message-IDs of the email we sent and received: threading, bounces, re-read protection. */
@Injectable()
export class EmailMessagesRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
  ) {}

  /** Idempotent on the Message-ID: false when it was already stored. */
  async insert(row: NewEmailMessage): Promise<boolean> {
    const out = await this.h.db
      .insert(emailMessages)
      .values({
        ...row,
        address: this.dp.index('email', row.address),
        subject: await this.dp.seal(
          mailOwner(row.messageId),
          'email_messages.subject',
          row.subject,
        ),
      })
      .onConflictDoNothing({ target: emailMessages.messageId })
      .returning({ id: emailMessages.messageId });
    return out.length > 0;
  }

  async get(messageId: string): Promise<EmailMessageRow | null> {
    const rows = await this.h.db
      .select()
      .from(emailMessages)
      .where(eq(emailMessages.messageId, messageId))
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  /** The stored rows among these Message-IDs (outbound ones carry their conversation). */
  async many(messageIds: string[]): Promise<EmailMessageRow[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.h.db
      .select()
      .from(emailMessages)
      .where(inArray(emailMessages.messageId, messageIds.slice(0, 100)));
    return Promise.all(rows.map((r) => this.open(r)));
  }

  async byOurMessageId(ourMessageId: string): Promise<EmailMessageRow | null> {
    const rows = await this.h.db
      .select()
      .from(emailMessages)
      .where(eq(emailMessages.ourMessageId, ourMessageId))
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  /** The customer's newest inbound mail: what our reply threads under. */
  async lastInboundFrom(address: string): Promise<EmailMessageRow | null> {
    const rows = await this.h.db
      .select()
      .from(emailMessages)
      .where(
        and(
          eq(emailMessages.address, this.dp.index('email', address)),
          eq(emailMessages.direction, 'inbound'),
        ),
      )
      .orderBy(desc(emailMessages.createdAt))
      .limit(1);
    return rows[0] ? this.open(rows[0]) : null;
  }

  private async open(r: EmailMessageRow): Promise<EmailMessageRow> {
    return {
      ...r,
      subject: await this.dp.open(mailOwner(r.messageId), 'email_messages.subject', r.subject),
    };
  }

  async setState(messageId: string, state: string): Promise<void> {
    await this.h.db
      .update(emailMessages)
      .set({ state })
      .where(eq(emailMessages.messageId, messageId));
  }
}
