import { Injectable } from '@nestjs/common';
import { count, eq, inArray, or } from 'drizzle-orm';
import type { AnyColumn } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import {
  journeyContextLosses,
  journeyConversations,
  journeyEvents,
  journeyHandoffs,
  journeyMeta,
  journeySwitches,
} from './journeys.schema';

/** The dashboard's columns of a conversation's journey (the state goes beside them). */
export type JourneyColumns = Omit<
  typeof journeyConversations.$inferInsert,
  'conversationId' | 'state' | 'updatedAt'
>;

/** What one event appends, besides the conversation's row. */
export interface JourneyAppend {
  switches: Array<Omit<typeof journeySwitches.$inferInsert, 'id' | 'conversationId'>>;
  losses: Array<Omit<typeof journeyContextLosses.$inferInsert, 'id' | 'conversationId'>>;
  handoffs: Array<Omit<typeof journeyHandoffs.$inferInsert, 'id' | 'conversationId'>>;
}

export interface JourneyStep<R> {
  state: unknown;
  columns: JourneyColumns;
  append: JourneyAppend;
  result: R;
}

export type ApplyOutcome<R> =
  { outcome: 'applied'; result: R } | { outcome: 'duplicate' } | { outcome: 'rebuilding' };

export interface ClockCounts {
  onTrack: number;
  atRisk: number;
  breached: number;
}

const META_ID = 1;
const PROJECTION = [journeyConversations, journeySwitches, journeyContextLosses, journeyHandoffs];

/**
 * The journey projection's writes (the router's): one event applied at most once, in one
 * transaction with what it changes; a rebuild that empties the projection and holds the live
 * consumer back meanwhile; a customer's erasure.
 */
@Injectable()
export class JourneysRepository {
  constructor(private readonly h: DbHandle) {}

  /**
   * Applies one conversation event: `step` gets the stored state (null for a new conversation)
   * and returns the next. Nothing happens for an event applied before, or while a rebuild runs
   * (unless `rebuild` is this rebuild's own replay).
   */
  async apply<R>(
    eventId: string,
    conversationId: string,
    step: (state: unknown) => JourneyStep<R>,
    opts: { rebuild?: boolean } = {},
  ): Promise<ApplyOutcome<R>> {
    return this.h.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      if (!opts.rebuild) {
        // A shared lock: a rebuild starting now waits for this event, and this one for it.
        const shared = () =>
          tx
            .select({ rebuilding: journeyMeta.rebuilding })
            .from(journeyMeta)
            .where(eq(journeyMeta.id, META_ID))
            .for('share');
        let meta = await shared();
        if (meta.length === 0) {
          // No row to lock yet (a new database): make it, or wait for a rebuild making it.
          await tx.insert(journeyMeta).values({ id: META_ID }).onConflictDoNothing();
          meta = await shared();
        }
        if (meta[0]?.rebuilding) return { outcome: 'rebuilding' as const };
      }
      const fresh = await tx
        .insert(journeyEvents)
        .values({ eventId, conversationId })
        .onConflictDoNothing()
        .returning({ eventId: journeyEvents.eventId });
      if (fresh.length === 0) return { outcome: 'duplicate' as const };
      const stored = await tx
        .select({ state: journeyConversations.state })
        .from(journeyConversations)
        .where(eq(journeyConversations.conversationId, conversationId))
        .for('update');
      const next = step(stored[0]?.state ?? null);
      const row = { conversationId, state: next.state, ...next.columns, updatedAt: new Date() };
      await tx
        .insert(journeyConversations)
        .values(row)
        .onConflictDoUpdate({ target: journeyConversations.conversationId, set: row });
      const { switches, losses, handoffs } = next.append;
      const own = { conversationId };
      if (switches.length) {
        await tx.insert(journeySwitches).values(switches.map((r) => ({ ...r, ...own })));
      }
      if (losses.length) {
        await tx.insert(journeyContextLosses).values(losses.map((r) => ({ ...r, ...own })));
      }
      if (handoffs.length) {
        await tx.insert(journeyHandoffs).values(handoffs.map((r) => ({ ...r, ...own })));
      }
      return { outcome: 'applied' as const, result: next.result };
    });
  }

  /**
   * Marks a rebuild and empties the projection; the live consumer waits until `endRebuild`.
   * Returns false, changing nothing, when a rebuild is marked already (running, or interrupted:
   * `force` starts anyway).
   */
  async beginRebuild(opts: { force?: boolean } = {}): Promise<boolean> {
    return this.h.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      await tx.insert(journeyMeta).values({ id: META_ID }).onConflictDoNothing();
      // The exclusive lock waits for every live event holding the shared one (apply).
      const [meta] = await tx
        .select({ rebuilding: journeyMeta.rebuilding })
        .from(journeyMeta)
        .where(eq(journeyMeta.id, META_ID))
        .for('update');
      if (meta?.rebuilding && !opts.force) return false;
      await tx.update(journeyMeta).set({ rebuilding: true }).where(eq(journeyMeta.id, META_ID));
      for (const table of [...PROJECTION, journeyEvents]) await tx.delete(table);
      return true;
    });
  }

  /** Conversations in the projection (a rebuild's report). */
  async conversationCount(): Promise<number> {
    const [row] = await this.h.db.select({ n: count() }).from(journeyConversations);
    return Number(row?.n ?? 0);
  }

  async endRebuild(): Promise<void> {
    await this.h.db
      .update(journeyMeta)
      .set({ rebuilding: false, rebuiltAt: new Date() })
      .where(eq(journeyMeta.id, META_ID));
  }

  /** The regulatory clocks as last counted, for the dashboard (the console reads no tickets). */
  async saveClocks(c: ClockCounts, at: Date): Promise<void> {
    const set = {
      clocksOnTrack: c.onTrack,
      clocksAtRisk: c.atRisk,
      clocksBreached: c.breached,
      clocksAt: at,
    };
    await this.h.db
      .insert(journeyMeta)
      .values({ id: META_ID, ...set })
      .onConflictDoUpdate({ target: journeyMeta.id, set });
  }

  /** A customer's erasure: every journey row of hers or of her conversations goes. */
  async eraseCustomer(customerId: string, conversationIds: readonly string[]): Promise<number> {
    const convs = [...conversationIds];
    const mine = <T extends { customerId: AnyColumn; conversationId: AnyColumn }>(t: T) =>
      convs.length
        ? or(eq(t.customerId, customerId), inArray(t.conversationId, convs))
        : eq(t.customerId, customerId);
    return this.h.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const gone = await tx
        .delete(journeyConversations)
        .where(mine(journeyConversations))
        .returning({ id: journeyConversations.conversationId });
      await tx.delete(journeySwitches).where(mine(journeySwitches));
      await tx.delete(journeyContextLosses).where(mine(journeyContextLosses));
      await tx.delete(journeyHandoffs).where(mine(journeyHandoffs));
      const ids = [...new Set([...convs, ...gone.map((g) => g.id)])];
      if (ids.length) {
        await tx.delete(journeyEvents).where(inArray(journeyEvents.conversationId, ids));
      }
      return gone.length;
    });
  }
}
