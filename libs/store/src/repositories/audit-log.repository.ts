import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { asc, desc } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { isUniqueViolation } from '../db-errors';
import { auditLog } from '../schema';

export type AuditRow = typeof auditLog.$inferSelect;
export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, string | number | boolean>;
}

const GENESIS = '0'.repeat(64);

function hashOf(prevHash: string, e: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at.toISOString(),
    e.actor,
    e.action,
    e.subject,
    Object.entries(e.detail).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/**
 * Append-only, hash-chained audit log of data access and sensitive actions. Writers race for the
 * next seq (the primary key): the loser retries on top of the winner. Ids and codes only.
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly h: DbHandle) {}

  async append(entry: AuditEntry): Promise<AuditRow> {
    for (let attempt = 0; ; attempt++) {
      try {
        const last = (
          await this.h.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1)
        )[0];
        const row = {
          seq: (last?.seq ?? 0) + 1,
          at: new Date(),
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject,
          detail: entry.detail ?? {},
        };
        const prevHash = last?.hash ?? GENESIS;
        const [stored] = await this.h.db
          .insert(auditLog)
          .values({ ...row, prevHash, hash: hashOf(prevHash, row) })
          .returning();
        return stored!;
      } catch (e) {
        if (attempt < 10 && isUniqueViolation(e)) continue;
        throw e;
      }
    }
  }

  /** Newest first. */
  async recent(limit: number): Promise<AuditRow[]> {
    return this.h.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(limit);
  }

  /** The seq of the first entry whose hash does not follow from its predecessor, or null. */
  async verifyChain(): Promise<number | null> {
    const rows = await this.h.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    let prev = GENESIS;
    let expectedSeq = rows[0]?.seq ?? 1;
    for (const r of rows) {
      const { hash, prevHash, ...rest } = r;
      if (r.seq !== expectedSeq || prevHash !== prev || hashOf(prev, rest) !== hash) return r.seq;
      prev = hash;
      expectedSeq++;
    }
    return null;
  }
}
