import { Injectable } from '@nestjs/common';
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { approvals } from '../context.schema';

/** Exported by step-up-approvals.repository as well (the same row type). */
type ApprovalRow = typeof approvals.$inferSelect;
export type ApprovalKind = ApprovalRow['kind'];
export type ApprovalStatus = ApprovalRow['status'];

export interface NewApproval {
  kind: ApprovalKind;
  customerId: string;
  conversationId: string | null;
  target: string;
  requestedBy: string;
  expiresAt: Date;
}

/**
 * Guarded actions waiting for a second person or the customer. Decisions are compare-and-set on
 * `pending`, so two supervisors clicking at once decide it once.
 */
@Injectable()
export class ApprovalsRepository {
  constructor(private readonly h: DbHandle) {}

  async create(input: NewApproval): Promise<ApprovalRow> {
    const [row] = await this.h.db
      .insert(approvals)
      .values({ ...input, status: 'pending' })
      .returning();
    return row!;
  }

  /** The unexpired pending approval of this kind for this customer's target, or a new one. */
  async pendingOrCreate(
    input: NewApproval,
    now = new Date(),
  ): Promise<{ approval: ApprovalRow; created: boolean }> {
    const found = await this.newest(input.kind, input.customerId, input.target, 'pending', now);
    if (found) return { approval: found, created: false };
    return { approval: await this.create(input), created: true };
  }

  async get(id: string): Promise<ApprovalRow | null> {
    const rows = await this.h.db.select().from(approvals).where(eq(approvals.id, id)).limit(1);
    return rows[0] ?? null;
  }

  /** The newest unexpired approval of this kind and target in this state. */
  async newest(
    kind: ApprovalKind,
    customerId: string,
    target: string,
    status: ApprovalStatus,
    now = new Date(),
  ): Promise<ApprovalRow | null> {
    const rows = await this.h.db
      .select()
      .from(approvals)
      .where(
        and(
          eq(approvals.kind, kind),
          eq(approvals.customerId, customerId),
          eq(approvals.target, target),
          eq(approvals.status, status),
          gt(approvals.expiresAt, now),
        ),
      )
      .orderBy(desc(approvals.createdAt))
      .limit(1);
    return rows[0] ?? null;
  }

  /** Newest first; pending ones past their expiry are marked expired first. */
  async list(status: ApprovalStatus | undefined, limit: number): Promise<ApprovalRow[]> {
    await this.expireDue();
    const q = this.h.db.select().from(approvals);
    const filtered = status ? q.where(eq(approvals.status, status)) : q;
    return filtered.orderBy(desc(approvals.createdAt)).limit(limit);
  }

  /** pending → approved / rejected, once; null when it was not pending (or expired meanwhile). */
  async decide(
    id: string,
    status: 'approved' | 'rejected',
    decidedBy: string,
    reason: string | null,
    now = new Date(),
  ): Promise<ApprovalRow | null> {
    const [row] = await this.h.db
      .update(approvals)
      .set({ status, decidedBy, reason, decidedAt: now })
      .where(
        and(eq(approvals.id, id), eq(approvals.status, 'pending'), gt(approvals.expiresAt, now)),
      )
      .returning();
    return row ?? null;
  }

  /** approved → executed, once (the guarded action was carried out on it). */
  async markExecuted(id: string): Promise<ApprovalRow | null> {
    const [row] = await this.h.db
      .update(approvals)
      .set({ status: 'executed' })
      .where(and(eq(approvals.id, id), eq(approvals.status, 'approved')))
      .returning();
    return row ?? null;
  }

  /**
   * Requests still waiting for an action that was done on another basis (the customer's strong
   * assurance): closed as executed by `actor`, so no supervisor approves what is already done.
   */
  async closePendingFor(
    kind: 'unblock_card',
    customerId: string,
    target: string,
    actor: string,
    reason: string,
  ): Promise<number> {
    const rows = await this.h.db
      .update(approvals)
      .set({ status: 'executed', decidedBy: actor, decidedAt: new Date(), reason })
      .where(
        and(
          eq(approvals.kind, kind),
          eq(approvals.customerId, customerId),
          eq(approvals.target, target),
          eq(approvals.status, 'pending'),
        ),
      )
      .returning({ id: approvals.id });
    return rows.length;
  }

  async expireDue(now = new Date()): Promise<number> {
    const rows = await this.h.db
      .update(approvals)
      .set({ status: 'expired' })
      .where(and(eq(approvals.status, 'pending'), lte(approvals.expiresAt, now)))
      .returning({ id: approvals.id });
    return rows.length;
  }
}
