import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { CardScheme, DisputeType, Jurisdiction, TicketKind } from '@omnigate/contracts';
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
  /** Absent: other, IT, no clock (as before the regulatory clocks). */
  kind?: TicketKind;
  disputeType?: DisputeType | null;
  jurisdiction?: Jurisdiction;
  /** When the bank received it: the clock counts from here (default now). */
  openedAt?: Date;
  dueAt?: Date | null;
  /** A card dispute's scheme clock; absent: none. */
  scheme?: {
    cardScheme: CardScheme;
    reason: string;
    /** 'YYYY-MM-DD' */
    processedOn: string;
    deliveryOn: string | null;
    dueAt: Date;
  } | null;
}

/** What a clock sweep needs of an open ticket: no subject, so nothing to open. */
export type TicketClockRow = Pick<
  TicketRow,
  | 'id'
  | 'kind'
  | 'disputeType'
  | 'jurisdiction'
  | 'createdAt'
  | 'dueAt'
  | 'holdingReplyAt'
  | 'resolvedAt'
  | 'breachedAt'
  | 'cardScheme'
  | 'schemeReason'
  | 'transactionProcessedOn'
  | 'deliveryOn'
  | 'schemeDueAt'
  | 'schemeRaisedAt'
  | 'schemeBreachedAt'
>;

const OPEN = ['open', 'pending'] as const;

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
        kind: input.kind ?? 'other',
        disputeType: input.disputeType ?? null,
        jurisdiction: input.jurisdiction ?? 'IT',
        dueAt: input.dueAt ?? null,
        ...(input.scheme
          ? {
              cardScheme: input.scheme.cardScheme,
              schemeReason: input.scheme.reason,
              transactionProcessedOn: input.scheme.processedOn,
              deliveryOn: input.scheme.deliveryOn,
              schemeDueAt: input.scheme.dueAt,
            }
          : {}),
        ...(input.openedAt ? { createdAt: input.openedAt, updatedAt: input.openedAt } : {}),
      })
      .returning();
    return openTicket(this.dp, row!);
  }

  async get(id: string): Promise<TicketRow | null> {
    const rows = await this.h.db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
    return rows[0] ? openTicket(this.dp, rows[0]) : null;
  }

  /** open/pending → closed, once (its clock stops); null when closed already or missing. */
  async resolve(id: string, at = new Date()): Promise<TicketRow | null> {
    const [row] = await this.h.db
      .update(tickets)
      .set({ status: 'closed', updatedAt: at, resolvedAt: at })
      .where(and(eq(tickets.id, id), inArray(tickets.status, OPEN)))
      .returning();
    return row ? openTicket(this.dp, row) : null;
  }

  /**
   * Records the first holding reply of an open ticket and the deadline now in force; null when
   * one was recorded already, or the ticket is closed or missing.
   */
  async recordHoldingReply(id: string, at: Date, dueAt: Date): Promise<TicketRow | null> {
    const [row] = await this.h.db
      .update(tickets)
      .set({ holdingReplyAt: at, dueAt, updatedAt: at })
      .where(and(eq(tickets.id, id), inArray(tickets.status, OPEN), isNull(tickets.holdingReplyAt)))
      .returning();
    return row ? openTicket(this.dp, row) : null;
  }

  /**
   * Records, once, that an open ticket's dispute was raised with its card scheme (the scheme
   * clock stops); null when recorded already, or the ticket is closed, missing or has no scheme.
   */
  async recordSchemeRaised(id: string, at: Date): Promise<TicketRow | null> {
    const [row] = await this.h.db
      .update(tickets)
      .set({ schemeRaisedAt: at, updatedAt: at })
      .where(
        and(
          eq(tickets.id, id),
          inArray(tickets.status, OPEN),
          isNotNull(tickets.schemeDueAt),
          isNull(tickets.schemeRaisedAt),
        ),
      )
      .returning();
    return row ? openTicket(this.dp, row) : null;
  }

  /** The scheme clock's breach, marked once like `markBreached`. */
  async markSchemeBreached(id: string, at: Date): Promise<boolean> {
    const rows = await this.h.db
      .update(tickets)
      .set({ schemeBreachedAt: at })
      .where(and(eq(tickets.id, id), isNull(tickets.schemeBreachedAt)))
      .returning({ id: tickets.id });
    return rows.length === 1;
  }

  /**
   * Marks a ticket breached if it is not yet: true for exactly one caller, however many router
   * instances see the breach, so the breach counter moves once per ticket.
   */
  async markBreached(id: string, at: Date): Promise<boolean> {
    const rows = await this.h.db
      .update(tickets)
      .set({ breachedAt: at })
      .where(and(eq(tickets.id, id), isNull(tickets.breachedAt)))
      .returning({ id: tickets.id });
    return rows.length === 1;
  }

  /** Open tickets that run a clock, soonest deadline first (clock fields only). */
  async listOpenClocks(limit = 5000): Promise<TicketClockRow[]> {
    return this.h.db
      .select({
        id: tickets.id,
        kind: tickets.kind,
        disputeType: tickets.disputeType,
        jurisdiction: tickets.jurisdiction,
        createdAt: tickets.createdAt,
        dueAt: tickets.dueAt,
        holdingReplyAt: tickets.holdingReplyAt,
        resolvedAt: tickets.resolvedAt,
        breachedAt: tickets.breachedAt,
        cardScheme: tickets.cardScheme,
        schemeReason: tickets.schemeReason,
        transactionProcessedOn: tickets.transactionProcessedOn,
        deliveryOn: tickets.deliveryOn,
        schemeDueAt: tickets.schemeDueAt,
        schemeRaisedAt: tickets.schemeRaisedAt,
        schemeBreachedAt: tickets.schemeBreachedAt,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, OPEN), isNotNull(tickets.dueAt)))
      .orderBy(asc(tickets.dueAt))
      .limit(limit);
  }

  /** Newest first. */
  async listOpenForCustomer(customerId: string, limit = 20): Promise<TicketRow[]> {
    const rows = await this.h.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.customerId, customerId), inArray(tickets.status, OPEN)))
      .orderBy(desc(tickets.createdAt))
      .limit(limit);
    return Promise.all(rows.map((t) => openTicket(this.dp, t)));
  }
}
