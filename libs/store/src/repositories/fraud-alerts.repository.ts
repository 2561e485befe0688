import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { fraudAlerts } from '../context.schema';
import { customers } from '../schema';

export type FraudAlertRow = typeof fraudAlerts.$inferSelect;
export type FraudAlertKind = FraudAlertRow['kind'];

export interface NewFraudAlert {
  coreEventId: string;
  customerId: string;
  kind: FraudAlertKind;
  cardId: string | null;
  transactionId: string | null;
  occurredAt: Date;
}

/** Fraud signals from core banking. Ids only (no personal data): nothing here is sealed. */
@Injectable()
export class FraudAlertsRepository {
  constructor(private readonly h: DbHandle) {}

  /**
   * Our customer row for a core-banking customer, created (with no name) when the bank signals
   * about someone who never wrote to us yet: their first message then links to this row, and the
   * alert is already there to correlate with. The unique core_ref makes it race-free.
   */
  async customerIdForCoreRef(coreRef: string): Promise<string> {
    await this.h.db
      .insert(customers)
      .values({ id: randomUUID(), kind: 'customer', coreRef })
      .onConflictDoNothing();
    const rows = await this.h.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.coreRef, coreRef))
      .limit(1);
    const id = rows[0]?.id;
    if (!id) throw new Error('customer row vanished');
    return id;
  }

  /** Our customer row for a core-banking customer, if we have one (never creates). */
  async findCustomerId(coreRef: string): Promise<string | null> {
    const rows = await this.h.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.coreRef, coreRef))
      .limit(1);
    return rows[0]?.id ?? null;
  }

  /** Idempotent on the core event id: a redelivered event returns the stored alert. */
  async record(input: NewFraudAlert): Promise<{ alert: FraudAlertRow; created: boolean }> {
    const [inserted] = await this.h.db
      .insert(fraudAlerts)
      .values(input)
      .onConflictDoNothing({ target: fraudAlerts.coreEventId })
      .returning();
    if (inserted) return { alert: inserted, created: true };
    const rows = await this.h.db
      .select()
      .from(fraudAlerts)
      .where(eq(fraudAlerts.coreEventId, input.coreEventId))
      .limit(1);
    if (!rows[0]) throw new Error('fraud alert vanished');
    return { alert: rows[0], created: false };
  }

  /** Resolves the open card-block alerts of one card (the card was unblocked); returns their ids. */
  async resolveForCard(customerId: string, cardId: string): Promise<string[]> {
    const rows = await this.h.db
      .update(fraudAlerts)
      .set({ status: 'resolved' })
      .where(
        and(
          eq(fraudAlerts.customerId, customerId),
          eq(fraudAlerts.cardId, cardId),
          eq(fraudAlerts.kind, 'card_blocked_by_fraud'),
          eq(fraudAlerts.status, 'open'),
        ),
      )
      .returning({ id: fraudAlerts.id });
    return rows.map((r) => r.id);
  }

  /** Open alerts of a customer, newest first; `since` bounds them to a correlation window. */
  async listOpen(customerId: string, since?: Date, limit = 20): Promise<FraudAlertRow[]> {
    const conds = [eq(fraudAlerts.customerId, customerId), eq(fraudAlerts.status, 'open')];
    if (since) conds.push(gte(fraudAlerts.occurredAt, since));
    return this.h.db
      .select()
      .from(fraudAlerts)
      .where(and(...conds))
      .orderBy(desc(fraudAlerts.occurredAt))
      .limit(limit);
  }

  async get(id: string): Promise<FraudAlertRow | null> {
    const rows = await this.h.db.select().from(fraudAlerts).where(eq(fraudAlerts.id, id)).limit(1);
    return rows[0] ?? null;
  }

  /**
   * Links alerts to the conversation a customer message correlated with them in. An alert already
   * linked to another conversation keeps its first link. Returns the ids now linked here.
   */
  async link(ids: string[], conversationId: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.h.db
      .update(fraudAlerts)
      .set({ conversationId })
      .where(
        and(
          inArray(fraudAlerts.id, ids),
          or(isNull(fraudAlerts.conversationId), eq(fraudAlerts.conversationId, conversationId)),
        ),
      )
      .returning({ id: fraudAlerts.id });
    return rows.map((r) => r.id);
  }
}
