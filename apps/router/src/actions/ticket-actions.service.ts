import { Injectable, Logger } from '@nestjs/common';
import type {
  Actor,
  Jurisdiction,
  TicketActionRequestV1,
  TicketActionResponseV1,
} from '@omnigate/contracts';
import { AuditLogRepository, ConversationsRepository, TicketsRepository } from '@omnigate/store';
import type { TicketRow } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { ConversationEventsService } from '../events/conversation-events.service';
import { notificationIdFor } from '../notify/notification-channels.mapper';
import { NotifyService } from '../notify/notify.service';
import { ConversationNotFoundError } from '../shared/router.errors';
import { TicketClocksService } from '../clocks/ticket-clocks.service';
import { TicketConflictError, TicketNotFoundError } from './actions.errors';
import { noticeMsgId } from './action-view.mapper';

/**
 * An agent opens a ticket in a conversation (a complaint or card dispute starts its regulatory
 * clock), records a holding reply (which extends the clock when sent in time) or resolves one (the
 * clock stops); a resolution is told to the customer (in the app and by SMS, see NotifyService).
 * Audited with ids and codes only: the subject and resolution are the customer's data.
 */
@Injectable()
export class TicketActionsService {
  private readonly logger = new Logger('ticket-actions');

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly tickets: TicketsRepository,
    private readonly audit: AuditLogRepository,
    private readonly assurance: AssuranceService,
    private readonly events: ConversationEventsService,
    private readonly notify: NotifyService,
    private readonly clocks: TicketClocksService,
  ) {}

  async act(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    switch (req.action) {
      case 'open':
        return this.open(req);
      case 'holding_reply':
        return this.holdingReply(req);
      case 'resolve':
        return this.resolve(req);
      case 'scheme_raised':
        return this.schemeRaised(req);
    }
  }

  private async open(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    const found = await this.conversations.get(req.conversationId ?? '');
    if (!found) throw new ConversationNotFoundError();
    const kind = req.kind ?? 'other';
    const jurisdiction = req.jurisdiction ?? 'IT';
    const disputeType = req.disputeType ?? null;
    const openedAt = new Date();
    const scheme = this.schemeAtOpen(req, jurisdiction, openedAt);
    const ticket = await this.tickets.open({
      customerId: found.customer.id,
      conversationId: found.conversation.id,
      subject: req.subject ?? '',
      priority: found.conversation.priority,
      kind,
      jurisdiction,
      disputeType,
      openedAt,
      dueAt: this.clocks.deadlineAtOpen(kind, jurisdiction, disputeType, openedAt),
      scheme,
    });
    await this.record('ticket.open', 'ticket.opened', ticket, found.conversation.id, req.actor);
    return { ticket: this.view(ticket), notificationId: null };
  }

  /** The first holding reply counts; a second one, or one on a closed ticket, is a conflict. */
  private async holdingReply(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    const ticketId = req.ticketId ?? '';
    const ticket = await this.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    const at = new Date();
    const dueAt = this.clocks.dueWithHoldingReply(ticket, at);
    if (!dueAt) throw new TicketConflictError(`ticket ${ticketId} runs no regulatory clock`);
    const updated = await this.tickets.recordHoldingReply(ticketId, at, dueAt);
    if (!updated) {
      throw new TicketConflictError(
        `ticket ${ticketId} is closed or has its holding reply already`,
      );
    }
    const conversationId = updated.conversationId;
    await this.record(
      'ticket.holding_reply',
      'ticket.holding_reply',
      updated,
      conversationId,
      req.actor,
    );
    return { ticket: this.view(updated), notificationId: null };
  }

  /** A card dispute's scheme fields (validated by the contract) and their deadline; null: none. */
  private schemeAtOpen(req: TicketActionRequestV1, jurisdiction: Jurisdiction, openedAt: Date) {
    const { cardScheme, schemeReason, transactionProcessedOn } = req;
    if (req.kind !== 'card_dispute' || !cardScheme || !schemeReason || !transactionProcessedOn) {
      return null;
    }
    const fields = {
      cardScheme,
      reason: schemeReason,
      processedOn: transactionProcessedOn,
      deliveryOn: req.deliveryOn ?? null,
    };
    return { ...fields, dueAt: this.clocks.schemeDeadlineAtOpen(jurisdiction, fields, openedAt) };
  }

  /** The dispute was raised with the card scheme: its clock stops, once. */
  private async schemeRaised(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    const ticketId = req.ticketId ?? '';
    const ticket = await this.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    const updated = await this.tickets.recordSchemeRaised(ticketId, new Date());
    if (!updated) {
      throw new TicketConflictError(
        `ticket ${ticketId} is closed, runs no scheme clock or was raised with the scheme already`,
      );
    }
    await this.clocks.noteResolved(updated);
    await this.record(
      'ticket.scheme_raised',
      'ticket.scheme_raised',
      updated,
      updated.conversationId,
      req.actor,
    );
    return { ticket: this.view(updated), notificationId: null };
  }

  private async resolve(req: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    const ticketId = req.ticketId ?? '';
    const ticket = await this.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    if (
      req.conversationId &&
      ticket.conversationId &&
      req.conversationId !== ticket.conversationId
    ) {
      throw new TicketConflictError(`ticket ${ticketId} belongs to another conversation`);
    }
    const conversationId = await this.conversationOf(ticket, req.conversationId);
    const resolved = await this.tickets.resolve(ticketId);
    if (!resolved) throw new TicketConflictError(`ticket ${ticketId} is closed already`);
    await this.clocks.noteResolved(resolved);
    await this.record('ticket.resolve', 'ticket.resolved', resolved, conversationId, req.actor);
    if (!conversationId) return { ticket: this.view(resolved), notificationId: null };
    const notificationId = notificationIdFor(`ticket:${ticketId}:resolved`);
    try {
      await this.notify.notify({
        notificationId,
        conversationId,
        content: { kind: 'ticket_resolved', resolution: req.resolution ?? '' },
      });
    } catch (e) {
      // Resolved whatever happens to the message: a failure is logged, the agent can reply.
      this.logger.error(
        { msg: 'customer notification failed', conversationId, notificationId },
        e instanceof Error ? e : undefined,
      );
    }
    return { ticket: this.view(resolved), notificationId };
  }

  private view(t: TicketRow): TicketActionResponseV1['ticket'] {
    return {
      id: t.id,
      conversationId: t.conversationId,
      status: t.status,
      kind: t.kind,
      disputeType: t.disputeType,
      jurisdiction: t.jurisdiction,
      clock: this.clocks.view(t),
      cardScheme: t.cardScheme,
      schemeReason: t.schemeReason,
      transactionProcessedOn: t.transactionProcessedOn,
      deliveryOn: t.deliveryOn,
      schemeClock: this.clocks.schemeView(t),
    };
  }

  /** Where the customer is told: the ticket's conversation, else the customer's open one. */
  private async conversationOf(ticket: TicketRow, given?: string): Promise<string | null> {
    if (given) return given;
    if (ticket.conversationId) return ticket.conversationId;
    return (await this.conversations.findOpenForCustomer(ticket.customerId))?.id ?? null;
  }

  private async record(
    action: string,
    code: string,
    ticket: TicketRow,
    conversationId: string | null,
    actor: Actor,
  ): Promise<void> {
    const assurance = await this.assurance.current(ticket.customerId);
    await this.audit.append({
      actor: actor.id,
      action,
      subject: `ticket:${ticket.id}`,
      detail: {
        role: actor.role,
        customerId: ticket.customerId,
        assurance: assurance.level,
        ...(conversationId ? { conversationId } : {}),
      },
    });
    if (conversationId) {
      await this.events.notice(conversationId, noticeMsgId(code, ticket.id), code, {
        ticketId: ticket.id,
        by: actor.id,
      });
    }
  }
}
