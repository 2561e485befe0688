import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, lt, lte, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { auditLog } from '../schema';
import { appendToAuditChain, verifyAuditChain } from './audit-chain';
import type { AuditEntry, AuditRow, ChainVerification } from './audit-chain';

export type { AuditEntry, AuditRow };

/** The admin search: every filter optional, newest first, `before` a seq (the next page). */
export interface AuditSearch {
  actor?: string;
  action?: string;
  subject?: string;
  /** Entries about this customer: the subject, or `detail.customerId`. */
  customerId?: string;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

/** pg_advisory_xact_lock key of audit appends (the migrator's is 774411). */
const APPEND_LOCK = 774412;

/**
 * Append-only, hash-chained audit log of data access and sensitive actions, written by router and
 * console (every instance; see appendToAuditChain). The database refuses UPDATE and DELETE
 * (migration 0003). Ids and codes only.
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly h: DbHandle) {}

  append(entry: AuditEntry): Promise<AuditRow> {
    return appendToAuditChain(this.h.db, auditLog, APPEND_LOCK, entry);
  }

  /** Newest first. */
  async recent(limit: number): Promise<AuditRow[]> {
    return this.search({ limit });
  }

  /** Newest first, every given filter applied. */
  async search(q: AuditSearch): Promise<AuditRow[]> {
    const where: SQL[] = [];
    if (q.actor !== undefined) where.push(eq(auditLog.actor, q.actor));
    if (q.action !== undefined) where.push(eq(auditLog.action, q.action));
    if (q.subject !== undefined) where.push(eq(auditLog.subject, q.subject));
    if (q.customerId !== undefined) {
      where.push(
        or(
          eq(auditLog.subject, q.customerId),
          sql`(${auditLog.detail} ->> 'customerId') = ${q.customerId}`,
        )!,
      );
    }
    if (q.from !== undefined) where.push(gte(auditLog.at, q.from));
    if (q.to !== undefined) where.push(lte(auditLog.at, q.to));
    if (q.before !== undefined) where.push(lt(auditLog.seq, q.before));
    return this.h.db
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.seq))
      .limit(q.limit);
  }

  /** The whole chain checked, with where and why it breaks. */
  verify(): Promise<ChainVerification> {
    return verifyAuditChain(this.h.db);
  }

  /** The seq where the chain breaks, or null. */
  async verifyChain(): Promise<number | null> {
    return (await this.verify()).brokenAt;
  }
}
