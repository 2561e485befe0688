import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { tickets } from '../schema';
import { DataProtection, customerOwner } from '../protection/data-protection';
import { openTicket } from '../protection/row-cipher';

export type TicketRow = typeof tickets.$inferSelect;

export interface NewTicket {
  customerId: string;
  conversationId: string | null;
  subject: string;
  priority?: number;
}

/** Support tickets; "open" means not closed yet (open or pending on the bank's side). */
@Injectable()
export class TicketsRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
  ) {}

  async open(input: NewTicket): Promise<TicketRow> {
    const [row] = await this.h.db
      .insert(tickets)
      .values({
        customerId: input.customerId,
        conversationId: input.conversationId,
        subject: await this.dp.seal(
          customerOwner(input.customerId),
          'tickets.subject',
          input.subject,
        ),
        status: 'open',
        priority: input.priority ?? 3,
      })
      .returning();
    return openTicket(this.dp, row!);
  }

  async get(id: string): Promise<TicketRow | null> {
    const rows = await this.h.db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
    return rows[0] ? openTicket(this.dp, rows[0]) : null;
  }

  /** open/pending → closed, once; null when it was closed already (or does not exist). */
  async resolve(id: string): Promise<TicketRow | null> {
    const [row] = await this.h.db
      .update(tickets)
      .set({ status: 'closed', updatedAt: new Date() })
      .where(and(eq(tickets.id, id), inArray(tickets.status, ['open', 'pending'])))
      .returning();
    return row ? openTicket(this.dp, row) : null;
  }

  /** Newest first. */
  async listOpenForCustomer(customerId: string, limit = 20): Promise<TicketRow[]> {
    const rows = await this.h.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.customerId, customerId), inArray(tickets.status, ['open', 'pending'])))
      .orderBy(desc(tickets.createdAt))
      .limit(limit);
    return Promise.all(rows.map((t) => openTicket(this.dp, t)));
  }
}
