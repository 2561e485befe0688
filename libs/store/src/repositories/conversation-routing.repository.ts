import { Injectable } from '@nestjs/common';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import type { Db } from '../database';
import { agents } from '../context.schema';
import { conversations } from '../schema';

type ConversationRow = typeof conversations.$inferSelect;

/** The routing columns of a conversation: no personal data, so nothing to open. */
export interface RoutingRow {
  conversationId: string;
  customerId: string;
  status: ConversationRow['status'];
  queue: ConversationRow['queue'];
  priority: number;
  control: ConversationRow['control'];
  assignedAgent: string | null;
  intent: string | null;
  lastMessageAt: Date;
}

export type RoutingPatch = Partial<
  Pick<RoutingRow, 'queue' | 'priority' | 'control' | 'assignedAgent' | 'intent'>
>;

export interface QueueCountRow {
  queue: RoutingRow['queue'];
  priority: number;
  waiting: number;
  open: number;
  oldestWaitingSince: Date | null;
}

const routingColumns = {
  conversationId: conversations.id,
  customerId: conversations.customerId,
  status: conversations.status,
  queue: conversations.queue,
  priority: conversations.priority,
  control: conversations.control,
  assignedAgent: conversations.assignedAgent,
  intent: conversations.intent,
  lastMessageAt: conversations.lastMessageAt,
};

/** Queue, priority and who answers a conversation; assignment to agents. */
@Injectable()
export class ConversationRoutingRepository {
  constructor(private readonly h: DbHandle) {}

  async get(conversationId: string): Promise<RoutingRow | null> {
    const rows = await this.h.db
      .select(routingColumns)
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .limit(1);
    return rows[0] ?? null;
  }

  /**
   * Applies a patch; with `ifControl`, only while the control state is one of those (a
   * compare-and-set, so two routers or a router and an agent never both win). Null when the
   * condition did not hold.
   */
  async update(
    conversationId: string,
    patch: RoutingPatch,
    ifControl?: RoutingRow['control'][],
  ): Promise<RoutingRow | null> {
    const where = ifControl
      ? and(eq(conversations.id, conversationId), inArray(conversations.control, ifControl))
      : eq(conversations.id, conversationId);
    const rows = await this.h.db
      .update(conversations)
      .set(patch)
      .where(where)
      .returning(routingColumns);
    return rows[0] ?? null;
  }

  /**
   * Gives a pending conversation to the available agent with that skill who has the fewest open
   * conversations, under their limit. Agent rows are locked so two assignments cannot both take
   * an agent's last free place. Null when nobody is free (the conversation stays in its queue).
   */
  async assign(conversationId: string): Promise<RoutingRow | null> {
    return this.h.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const conv = (
        await tx
          .select(routingColumns)
          .from(conversations)
          .where(eq(conversations.id, conversationId))
          .for('update')
      )[0];
      if (!conv || conv.control !== 'pending' || conv.status !== 'open') return null;
      const candidates = await tx
        .select({ id: agents.id, maxConcurrent: agents.maxConcurrent, since: agents.updatedAt })
        .from(agents)
        .where(
          and(
            eq(agents.available, 1),
            sql`${agents.skills} @> ${JSON.stringify([conv.queue])}::jsonb`,
          ),
        )
        .orderBy(asc(agents.id))
        .for('update');
      if (candidates.length === 0) return null;
      const loads = await tx
        .select({ agent: conversations.assignedAgent, n: count() })
        .from(conversations)
        .where(
          and(
            inArray(
              conversations.assignedAgent,
              candidates.map((c) => c.id),
            ),
            eq(conversations.status, 'open'),
            eq(conversations.control, 'agent_active'),
          ),
        )
        .groupBy(conversations.assignedAgent);
      const loadOf = new Map(loads.map((l) => [l.agent, Number(l.n)]));
      const free = candidates
        .map((c) => ({ ...c, load: loadOf.get(c.id) ?? 0 }))
        .filter((c) => c.load < c.maxConcurrent)
        .sort((a, b) => a.load - b.load || a.since.getTime() - b.since.getTime());
      const agent = free[0];
      if (!agent) return null;
      const [updated] = await tx
        .update(conversations)
        .set({ control: 'agent_active', assignedAgent: agent.id })
        .where(eq(conversations.id, conversationId))
        .returning(routingColumns);
      return updated ?? null;
    });
  }

  /** Conversations waiting in these queues for an agent: top priority, then longest waiting, first. */
  async waiting(queues: string[], limit = 20): Promise<RoutingRow[]> {
    if (queues.length === 0) return [];
    return this.h.db
      .select(routingColumns)
      .from(conversations)
      .where(
        and(
          eq(conversations.status, 'open'),
          eq(conversations.control, 'pending'),
          isNull(conversations.assignedAgent),
          inArray(conversations.queue, queues as RoutingRow['queue'][]),
        ),
      )
      .orderBy(asc(conversations.priority), asc(conversations.lastMessageAt))
      .limit(limit);
  }

  /** Open conversations per queue and priority, with how many wait for an agent. */
  async queueCounts(): Promise<QueueCountRow[]> {
    const waitingNow = sql`${conversations.control} = 'pending' AND ${conversations.assignedAgent} IS NULL`;
    const rows = await this.h.db
      .select({
        queue: conversations.queue,
        priority: conversations.priority,
        open: count(),
        waiting: sql<number>`count(*) FILTER (WHERE ${waitingNow})`,
        oldest: sql<
          Date | string | null
        >`min(${conversations.lastMessageAt}) FILTER (WHERE ${waitingNow})`,
      })
      .from(conversations)
      .where(eq(conversations.status, 'open'))
      .groupBy(conversations.queue, conversations.priority)
      .orderBy(asc(conversations.queue), asc(conversations.priority));
    return rows.map((r) => ({
      queue: r.queue,
      priority: r.priority,
      open: Number(r.open),
      waiting: Number(r.waiting),
      oldestWaitingSince: r.oldest === null ? null : new Date(r.oldest),
    }));
  }
}
