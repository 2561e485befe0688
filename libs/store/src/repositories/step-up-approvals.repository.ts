import { Injectable } from '@nestjs/common';
import { and, desc, eq, gt } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { approvals } from '../context.schema';

export type ApprovalRow = typeof approvals.$inferSelect;

export interface NewStepUp {
  /** Chosen by the caller: the nonce's hash is bound to it. */
  id: string;
  customerId: string;
  conversationId: string | null;
  /** The action an approval authorises once ('unblock_card'), null for none (identity check). */
  action: string | null;
  /** What the action acts on (a card id), or the level asked for when bound to no action. */
  target: string;
  requestedBy: string;
  requesterChannel: string | null;
  reason: string;
  nonceHash: string | null;
  expiresAt: Date;
}

/**
 * Step-up requests pushed to the customer's app (approvals of kind `step_up`). One bound to an
 * action is used once: approved → executed by compare-and-set, while unexpired.
 */
@Injectable()
export class StepUpApprovalsRepository {
  constructor(private readonly h: DbHandle) {}

  async create(input: NewStepUp): Promise<ApprovalRow> {
    const [row] = await this.h.db
      .insert(approvals)
      .values({ kind: 'step_up', status: 'pending', ...input })
      .returning();
    return row!;
  }

  async get(id: string): Promise<ApprovalRow | null> {
    const rows = await this.h.db
      .select()
      .from(approvals)
      .where(and(eq(approvals.id, id), eq(approvals.kind, 'step_up')))
      .limit(1);
    return rows[0] ?? null;
  }

  /**
   * Moves a pending request to its outcome; null when it was no longer pending (decided twice).
   * `expiresAt` replaces the expiry (an approval's own window to be used in).
   */
  async decide(
    id: string,
    status: 'approved' | 'rejected' | 'expired',
    decidedBy: string | null,
    expiresAt?: Date,
  ): Promise<ApprovalRow | null> {
    const rows = await this.h.db
      .update(approvals)
      .set({ status, decidedBy, decidedAt: new Date(), ...(expiresAt ? { expiresAt } : {}) })
      .where(and(eq(approvals.id, id), eq(approvals.status, 'pending')))
      .returning();
    return rows[0] ?? null;
  }

  /**
   * The newest unexpired step-up of this customer for this action and target, in this state (and
   * asked by `requestedBy` when given).
   */
  async newestFor(
    customerId: string,
    action: string,
    target: string,
    status: 'pending' | 'approved',
    requestedBy?: string,
    now = new Date(),
  ): Promise<ApprovalRow | null> {
    const rows = await this.h.db
      .select()
      .from(approvals)
      .where(
        and(
          eq(approvals.kind, 'step_up'),
          eq(approvals.customerId, customerId),
          eq(approvals.action, action),
          eq(approvals.target, target),
          eq(approvals.status, status),
          gt(approvals.expiresAt, now),
          requestedBy === undefined ? undefined : eq(approvals.requestedBy, requestedBy),
        ),
      )
      .orderBy(desc(approvals.createdAt))
      .limit(1);
    return rows[0] ?? null;
  }

  /** approved → executed, once and only while unexpired; null when another use won or it lapsed. */
  async consume(id: string, now = new Date()): Promise<ApprovalRow | null> {
    const [row] = await this.h.db
      .update(approvals)
      .set({ status: 'executed' })
      .where(
        and(
          eq(approvals.id, id),
          eq(approvals.kind, 'step_up'),
          eq(approvals.status, 'approved'),
          gt(approvals.expiresAt, now),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** executed → approved: the action it was consumed for could not be carried out (core down). */
  async release(id: string): Promise<void> {
    await this.h.db
      .update(approvals)
      .set({ status: 'approved' })
      .where(
        and(eq(approvals.id, id), eq(approvals.kind, 'step_up'), eq(approvals.status, 'executed')),
      );
  }
}
