import { Injectable } from '@nestjs/common';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { consoleSessions } from './console-auth.schema';

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;
export type NewConsoleSession = Omit<ConsoleSessionRow, 'revokedAt' | 'revokedReason'>;
export type SessionRevokeReason = 'logout' | 'role_changed' | 'account_removed' | 'admin';

/** Server-side console sessions: one row per login, found by the hash of the token's id. */
@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly h: DbHandle) {}

  async create(row: NewConsoleSession): Promise<void> {
    await this.h.db.insert(consoleSessions).values(row);
  }

  async find(idHash: string): Promise<ConsoleSessionRow | null> {
    const [row] = await this.h.db
      .select()
      .from(consoleSessions)
      .where(eq(consoleSessions.idHash, idHash))
      .limit(1);
    return row ?? null;
  }

  /** Revokes one session; false when it was already revoked or never existed. */
  async revoke(idHash: string, reason: SessionRevokeReason, at: Date): Promise<boolean> {
    const rows = await this.h.db
      .update(consoleSessions)
      .set({ revokedAt: at, revokedReason: reason })
      .where(and(eq(consoleSessions.idHash, idHash), isNull(consoleSessions.revokedAt)))
      .returning({ idHash: consoleSessions.idHash });
    return rows.length > 0;
  }

  /** Revokes every open session of an agent; the hashes of those it ended. */
  async revokeAgent(agentId: string, reason: SessionRevokeReason, at: Date): Promise<string[]> {
    const rows = await this.h.db
      .update(consoleSessions)
      .set({ revokedAt: at, revokedReason: reason })
      .where(
        and(
          eq(consoleSessions.agentId, agentId),
          isNull(consoleSessions.revokedAt),
          gt(consoleSessions.expiresAt, at),
        ),
      )
      .returning({ idHash: consoleSessions.idHash });
    return rows.map((r) => r.idHash);
  }

  /** Forgets sessions that ended before `before` (expired or revoked long ago). */
  async purgeExpired(before: Date): Promise<number> {
    const rows = await this.h.db
      .delete(consoleSessions)
      .where(lt(consoleSessions.expiresAt, before))
      .returning({ idHash: consoleSessions.idHash });
    return rows.length;
  }
}
