import { Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { approvals } from '../context.schema';

export type ApprovalRow = typeof approvals.$inferSelect;

/** Step-up requests pushed to the customer's app (approvals of kind `step_up`). */
@Injectable()
export class StepUpApprovalsRepository {
  constructor(private readonly h: DbHandle) {}

  async create(input: {
    customerId: string;
    conversationId: string | null;
    level: string;
    requestedBy: string;
    reason: string;
    expiresAt: Date;
  }): Promise<ApprovalRow> {
    const [row] = await this.h.db
      .insert(approvals)
      .values({
        kind: 'step_up',
        customerId: input.customerId,
        conversationId: input.conversationId,
        target: input.level,
        requestedBy: input.requestedBy,
        reason: input.reason,
        status: 'pending',
        expiresAt: input.expiresAt,
      })
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

  /** Moves a pending request to its outcome; null when it was no longer pending (decided twice). */
  async decide(
    id: string,
    status: 'approved' | 'rejected' | 'expired',
    decidedBy: string | null,
  ): Promise<ApprovalRow | null> {
    const rows = await this.h.db
      .update(approvals)
      .set({ status, decidedBy, decidedAt: new Date() })
      .where(and(eq(approvals.id, id), eq(approvals.status, 'pending')))
      .returning();
    return rows[0] ?? null;
  }
}
