import { randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, lt, lte, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { isUniqueViolation } from '../db-errors';
import { auditLog } from '../schema';
import { GENESIS_HASH, auditHash, verifyAuditChain } from './audit-chain';
import type { AuditRow, ChainVerification } from './audit-chain';

export type { AuditRow };

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, string | number | boolean>;
}

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

/** Retries on a lost race for the seq (a writer that did not take the lock). */
const MAX_ATTEMPTS = 20;
/** pg_advisory_xact_lock key of audit appends (the migrator's is 774411). */
const APPEND_LOCK = 774412;

/**
 * Append-only, hash-chained audit log of data access and sensitive actions. Writers (router,
 * console, every instance) take a transaction-scoped advisory lock, read the head and insert the
 * next seq; seq is the primary key, so even a writer without the lock cannot fork the chain (it
 * loses the insert and retries on top of the winner). The database refuses UPDATE and DELETE (migration 0003).
 * Ids and codes only.
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly h: DbHandle) {}

  async append(entry: AuditEntry): Promise<AuditRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(entry);
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(e)) throw e;
        // A little jitter so the same losers do not collide again in lockstep.
        await delay(randomInt(0, Math.min(attempt, 10) + 1));
      }
    }
  }

  private async appendOnce(entry: AuditEntry): Promise<AuditRow> {
    return this.h.db.transaction(async (tx) => {
      // Writers queue here instead of colliding on the seq (a burst of views from every console
      // instance would otherwise retry in a storm); the unique seq stays the final guard.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
      const last = (
        await tx
          .select({ seq: auditLog.seq, hash: auditLog.hash })
          .from(auditLog)
          .orderBy(desc(auditLog.seq))
          .limit(1)
      )[0];
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: new Date(),
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject,
        detail: entry.detail ?? {},
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const [stored] = await tx
        .insert(auditLog)
        .values({ ...row, prevHash, hash: auditHash(prevHash, row) })
        .returning();
      return stored!;
    });
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
