import { Injectable } from '@nestjs/common';
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { consoleLoginFailures as t } from './console-auth.schema';

export interface LoginFailureState {
  key: string;
  failures: number;
  lockedUntil: Date | null;
}

/**
 * Failed console logins per key, shared by every console instance. Each failure is one atomic
 * upsert (concurrent guesses cannot lose counts); the window restarts once it has passed.
 */
@Injectable()
export class LoginFailuresRepository {
  constructor(private readonly h: DbHandle) {}

  async states(keys: readonly string[]): Promise<LoginFailureState[]> {
    if (keys.length === 0) return [];
    return this.h.db
      .select({ key: t.key, failures: t.failures, lockedUntil: t.lockedUntil })
      .from(t)
      .where(inArray(t.key, [...keys]));
  }

  /** One more failure for `key` within a window starting after `windowStart`: the new count. */
  async recordFailure(key: string, now: Date, windowStart: Date): Promise<LoginFailureState> {
    const fresh = sql`${t.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz`;
    const [row] = await this.h.db
      .insert(t)
      .values({ key, failures: 1, windowStartedAt: now, lockedUntil: null, updatedAt: now })
      .onConflictDoUpdate({
        target: t.key,
        set: {
          failures: sql`CASE WHEN ${fresh} THEN 1 ELSE ${t.failures} + 1 END`,
          windowStartedAt: sql`CASE WHEN ${fresh} THEN ${now.toISOString()}::timestamptz ELSE ${t.windowStartedAt} END`,
          updatedAt: now,
        },
      })
      .returning({ key: t.key, failures: t.failures, lockedUntil: t.lockedUntil });
    return row!;
  }

  /** Locks `key` until `until` and starts its count again. */
  async lock(key: string, until: Date, now: Date): Promise<void> {
    await this.h.db
      .update(t)
      .set({ lockedUntil: until, failures: 0, windowStartedAt: now, updatedAt: now })
      .where(eq(t.key, key));
  }

  /** A successful login clears the account's count (never the address's). */
  async clear(key: string): Promise<void> {
    await this.h.db.delete(t).where(eq(t.key, key));
  }

  /** Forgets keys untouched since `before` whose lock (if any) has ended. */
  async purge(before: Date): Promise<void> {
    await this.h.db
      .delete(t)
      .where(
        sql`${lt(t.updatedAt, before)} AND (${t.lockedUntil} IS NULL OR ${t.lockedUntil} < ${before.toISOString()}::timestamptz)`,
      );
  }
}
