import { Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { agents } from '../context.schema';

export type AgentRow = typeof agents.$inferSelect;

export interface AgentPresence {
  agentId: string;
  available: boolean;
  skills: string[];
  maxConcurrent?: number;
}

/** Agents as the router assigns to them: which queues, available or not, how many at once. */
@Injectable()
export class AgentsRepository {
  constructor(private readonly h: DbHandle) {}

  /** Creates the agent on first use; the stored max_concurrent stays when none is given. */
  async setPresence(input: AgentPresence): Promise<AgentRow> {
    const now = new Date();
    const [row] = await this.h.db
      .insert(agents)
      .values({
        id: input.agentId,
        skills: input.skills,
        available: input.available ? 1 : 0,
        ...(input.maxConcurrent === undefined ? {} : { maxConcurrent: input.maxConcurrent }),
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: agents.id,
        set: {
          skills: sql`excluded.skills`,
          available: sql`excluded.available`,
          ...(input.maxConcurrent === undefined
            ? {}
            : { maxConcurrent: sql`excluded.max_concurrent` }),
          updatedAt: now,
        },
      })
      .returning();
    return row!;
  }

  async get(agentId: string): Promise<AgentRow | null> {
    const rows = await this.h.db.select().from(agents).where(eq(agents.id, agentId)).limit(1);
    return rows[0] ?? null;
  }
}
