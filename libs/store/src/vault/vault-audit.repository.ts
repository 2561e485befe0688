import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { appendToAuditChain, verifyAuditChain } from '../repositories/audit-chain';
import type { AuditEntry, AuditRow, ChainVerification } from '../repositories/audit-chain';
import { vaultAudit } from './vault.schema';

/** pg_advisory_xact_lock key of vault_audit appends (audit_log's is 774412, the migrator's 774411). */
const VAULT_AUDIT_LOCK = 774413;

/**
 * The vault's audit trail: every reveal asked for (allowed or refused, found or not), with who,
 * which role, why and the outcome. Append-only in the database (migration 0004) and hash-chained
 * with the same code as audit_log (repositories/audit-chain.ts). Ids and codes only.
 */
@Injectable()
export class VaultAuditRepository {
  constructor(private readonly h: DbHandle) {}

  append(entry: AuditEntry): Promise<AuditRow> {
    return appendToAuditChain(this.h.db, vaultAudit, VAULT_AUDIT_LOCK, entry);
  }

  /** Newest first; about one subject (a card reference) when given. */
  async recent(limit: number, subject?: string): Promise<AuditRow[]> {
    return this.h.db
      .select()
      .from(vaultAudit)
      .where(subject === undefined ? undefined : eq(vaultAudit.subject, subject))
      .orderBy(desc(vaultAudit.seq))
      .limit(limit);
  }

  verify(): Promise<ChainVerification> {
    return verifyAuditChain(this.h.db, 1000, vaultAudit);
  }
}
