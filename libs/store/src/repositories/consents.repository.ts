import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { consents } from '../compliance.schema';
import { customers } from '../schema';

export type ConsentRow = typeof consents.$inferSelect;
export type ConsentPurposeValue = ConsentRow['purpose'];
export type ConsentSourceValue = ConsentRow['source'];

export interface ConsentChange {
  customerId: string;
  channel: string;
  purpose: ConsentPurposeValue;
  granted: boolean;
  source: ConsentSourceValue;
  updatedBy: string | null;
  /** When the decision was made; a change older than the stored one is ignored. */
  at: Date;
}

/** Consent per customer, channel and purpose. Rules (defaults, keywords) live in libs/contracts. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly h: DbHandle) {}

  async listForCustomer(customerId: string): Promise<ConsentRow[]> {
    return this.h.db
      .select()
      .from(consents)
      .where(eq(consents.customerId, customerId))
      .orderBy(consents.channel, consents.purpose);
  }

  async get(
    customerId: string,
    channel: string,
    purpose: ConsentPurposeValue,
  ): Promise<ConsentRow | null> {
    const rows = await this.h.db
      .select()
      .from(consents)
      .where(
        and(
          eq(consents.customerId, customerId),
          eq(consents.channel, channel),
          eq(consents.purpose, purpose),
        ),
      )
      .limit(1);
    return rows[0] ?? null;
  }

  /**
   * Records decisions in one transaction. Newest wins: a redelivered STOP older than a later START
   * does not undo it. Idempotent.
   */
  async record(changes: ConsentChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.h.db.transaction(async (tx) => {
      for (const c of changes) {
        await tx
          .insert(consents)
          .values({
            customerId: c.customerId,
            channel: c.channel,
            purpose: c.purpose,
            granted: c.granted,
            source: c.source,
            updatedBy: c.updatedBy,
            updatedAt: c.at,
          })
          .onConflictDoUpdate({
            target: [consents.customerId, consents.channel, consents.purpose],
            set: {
              granted: c.granted,
              source: c.source,
              updatedBy: c.updatedBy,
              updatedAt: c.at,
            },
            setWhere: sql`${consents.updatedAt} <= excluded.updated_at`,
          });
      }
    });
  }

  async customerExists(customerId: string): Promise<boolean> {
    const rows = await this.h.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, customerId))
      .limit(1);
    return rows.length === 1;
  }
}
