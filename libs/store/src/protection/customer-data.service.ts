import { Injectable } from '@nestjs/common';
import { AppError } from '@omnigate/kit';
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { ConversationsRepository } from '../repositories/conversations.repository';
import { IdentitiesRepository } from '../repositories/identities.repository';
import { MessagesRepository } from '../repositories/messages.repository';
import { channelIdentities, conversations, customers, dataKeys, tickets } from '../schema';
import { DataProtection, customerOwner } from './data-protection';
import { attachmentOwner } from '../email/email-attachments.repository';
import { mailOwner } from '../email/email-messages.repository';
import { emailMessages } from '../email/email-schema';
import { openTicket } from './row-cipher';
import { approvals, conversationFacts, fraudAlerts } from '../context.schema';
import { FACT_FIELD } from '../repositories/conversation-facts.repository';

export class CustomerNotFoundError extends AppError {
  constructor() {
    super('CUSTOMER.NOT_FOUND', 'no customer with this id');
  }
}

export class LegalHoldError extends AppError {
  constructor(until: Date) {
    super(
      'ERASURE.LEGAL_HOLD_CONFLICT',
      `the bank must keep this customer's records until ${until.toISOString().slice(0, 10)} (legal hold): erasure refused`,
    );
  }
}

export interface CustomerExport {
  format: 'omnigate.customer-export.v1';
  customerId: string;
  exportedAt: string;
  erased: boolean;
  customer: {
    kind: string;
    coreRef: string | null;
    displayName: string | null;
    createdAt: string;
  } | null;
  identities: Array<{
    channel: string;
    address: string;
    status: string;
    linkMethod: string;
    assurance: string;
    createdAt: string;
  }>;
  conversations: Array<{
    id: string;
    status: string;
    channels: string[];
    createdAt: string;
    closedAt: string | null;
  }>;
  messages: Array<{
    id: string;
    conversationId: string;
    seq: number;
    direction: string;
    channel: string;
    kind: string;
    text: string;
    address: string;
    attachments: unknown[];
    author: { kind: string; id: string | null };
    status: string | null;
    statusHistory: Array<{ state: string; occurredAt: string; errorCode: string | null }>;
    createdAt: string;
  }>;
  tickets: Array<{ id: string; subject: string; status: string; createdAt: string }>;
  /** What the customer told us in conversations (card last four, amounts, dates, …). */
  facts: Array<{ conversationId: string; key: string; value: string; createdAt: string }>;
  /** Fraud signals from core banking about the customer (ids only). */
  fraudAlerts: Array<{
    kind: string;
    cardId: string | null;
    transactionId: string | null;
    occurredAt: string;
    status: string;
  }>;
  /** Guarded actions and step-ups that concerned the customer. */
  approvals: Array<{
    kind: string;
    target: string;
    status: string;
    requestedBy: string;
    decidedBy: string | null;
    createdAt: string;
  }>;
}

export interface ErasureResult {
  customerId: string;
  erasedAt: string;
  identitiesRevoked: number;
  conversationsClosed: number;
}

/**
 * GDPR/CCPA rights on one customer: export everything held, decrypted, in one machine-readable
 * bundle; erase by destroying the customer's data key (crypto-shredding: every stored copy,
 * backups included, becomes unreadable). Both audited.
 */
@Injectable()
export class CustomerDataService {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
    private readonly conversations: ConversationsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly messages: MessagesRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async export(customerId: string, actor: string): Promise<CustomerExport> {
    const customer = await this.conversations.getCustomer(customerId);
    if (!customer) throw new CustomerNotFoundError();
    const erased = await this.isErased(customerId);
    await this.audit.append({
      actor,
      action: 'customer.export',
      subject: customerId,
      detail: { erased },
    });
    const empty: CustomerExport = {
      format: 'omnigate.customer-export.v1',
      customerId,
      exportedAt: new Date().toISOString(),
      erased,
      customer: null,
      identities: [],
      conversations: [],
      messages: [],
      tickets: [],
      facts: [],
      fraudAlerts: [],
      approvals: [],
    };
    if (erased) return empty;
    const msgs = await this.messages.listForCustomer(customerId);
    const history = await this.messages.statusHistory(msgs.map((m) => m.id));
    const ticketRows = await this.h.db
      .select()
      .from(tickets)
      .where(eq(tickets.customerId, customerId));
    return {
      ...empty,
      customer: {
        kind: customer.kind,
        coreRef: customer.coreRef,
        displayName: customer.displayName,
        createdAt: customer.createdAt.toISOString(),
      },
      identities: (await this.identities.listForCustomer(customerId)).map((i) => ({
        channel: i.channel,
        address: i.address,
        status: i.status,
        linkMethod: i.linkMethod,
        assurance: i.assurance,
        createdAt: i.createdAt.toISOString(),
      })),
      conversations: (await this.conversations.listForCustomer(customerId)).map((c) => ({
        id: c.id,
        status: c.status,
        channels: c.channels,
        createdAt: c.createdAt.toISOString(),
        closedAt: c.closedAt?.toISOString() ?? null,
      })),
      messages: msgs.map((m) => ({
        id: m.id,
        conversationId: m.conversationId,
        seq: m.seq,
        direction: m.direction,
        channel: m.channel,
        kind: m.kind,
        text: m.body,
        address: m.address,
        attachments: m.attachments,
        author: { kind: m.authorKind, id: m.authorId },
        status: m.status ?? null,
        statusHistory: history
          .filter((s) => s.messageId === m.id)
          .map((s) => ({
            state: s.state,
            occurredAt: s.occurredAt.toISOString(),
            errorCode: s.errorCode,
          })),
        createdAt: m.createdAt.toISOString(),
      })),
      ...(await this.contextPart(customerId)),
      tickets: await Promise.all(
        ticketRows.map(async (t) => {
          const o = await openTicket(this.dp, t);
          return {
            id: o.id,
            subject: o.subject,
            status: o.status,
            createdAt: o.createdAt.toISOString(),
          };
        }),
      ),
    };
  }

  /** Facts (opened), fraud alerts and approvals: what issue 5's context holds on the customer. */
  private async contextPart(
    customerId: string,
  ): Promise<Pick<CustomerExport, 'facts' | 'fraudAlerts' | 'approvals'>> {
    const owner = customerOwner(customerId);
    const [factRows, alertRows, approvalRows] = await Promise.all([
      this.h.db
        .select()
        .from(conversationFacts)
        .where(eq(conversationFacts.customerId, customerId)),
      this.h.db.select().from(fraudAlerts).where(eq(fraudAlerts.customerId, customerId)),
      this.h.db.select().from(approvals).where(eq(approvals.customerId, customerId)),
    ]);
    return {
      facts: await Promise.all(
        factRows.map(async (f) => ({
          conversationId: f.conversationId,
          key: f.key,
          value: await this.dp.open(owner, FACT_FIELD, f.value),
          createdAt: f.createdAt.toISOString(),
        })),
      ),
      fraudAlerts: alertRows.map((a) => ({
        kind: a.kind,
        cardId: a.cardId,
        transactionId: a.transactionId,
        occurredAt: a.occurredAt.toISOString(),
        status: a.status,
      })),
      approvals: approvalRows.map((a) => ({
        kind: a.kind,
        target: a.target,
        status: a.status,
        requestedBy: a.requestedBy,
        decidedBy: a.decidedBy,
        createdAt: a.createdAt.toISOString(),
      })),
    };
  }

  async erase(customerId: string, actor: string, reason: string): Promise<ErasureResult> {
    const customer = await this.conversations.getCustomer(customerId);
    if (!customer) throw new CustomerNotFoundError();
    if (customer.legalHoldUntil && customer.legalHoldUntil > new Date()) {
      await this.audit.append({
        actor,
        action: 'customer.erase.refused',
        subject: customerId,
        detail: { code: 'ERASURE.LEGAL_HOLD_CONFLICT' },
      });
      throw new LegalHoldError(customer.legalHoldUntil);
    }
    const now = new Date();
    // What the email gateway stored before it knew the customer has keys of its own: found
    // through the customer's messages and addresses while they can still be read, then shredded.
    const shredded = await this.shredEmailRecords(customerId);
    await this.dp.destroyKey(customerOwner(customerId));
    // The addresses can write again as strangers: their links end, their index no longer matches.
    const revoked = await this.h.db
      .update(channelIdentities)
      .set({ status: 'revoked', revokedAt: now, addressIndex: `erased:${customerId}` })
      .where(
        and(eq(channelIdentities.customerId, customerId), ne(channelIdentities.status, 'revoked')),
      )
      .returning({ id: channelIdentities.id });
    // A returning customer starts afresh: the bank reference and name leave this row.
    await this.h.db
      .update(customers)
      .set({ coreRef: null, displayName: null })
      .where(eq(customers.id, customerId));
    const closed = await this.h.db
      .update(conversations)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(conversations.customerId, customerId), inArray(conversations.status, ['open'])))
      .returning({ id: conversations.id });
    await this.audit.append({
      actor,
      action: 'customer.erase',
      subject: customerId,
      detail: {
        emailRecordsShredded: shredded,
        identitiesRevoked: revoked.length,
        conversationsClosed: closed.length,
        reason: reason.slice(0, 200),
      },
    });
    return {
      customerId,
      erasedAt: now.toISOString(),
      identitiesRevoked: revoked.length,
      conversationsClosed: closed.length,
    };
  }

  private async shredEmailRecords(customerId: string): Promise<number> {
    const msgs = await this.messages.listForCustomer(customerId);
    const attachmentIds = msgs.flatMap((m) =>
      m.attachments.filter((a) => a.ref.startsWith('att:')).map((a) => a.ref.slice(4)),
    );
    const emailIndexes = (await this.identities.listForCustomer(customerId))
      .filter((i) => i.channel === 'email')
      .map((i) => this.dp.index('email', i.address.toLowerCase()));
    const conversationIds = (await this.conversations.listForCustomer(customerId)).map((c) => c.id);
    const conditions = [
      ...(conversationIds.length ? [inArray(emailMessages.conversationId, conversationIds)] : []),
      ...(emailIndexes.length ? [inArray(emailMessages.address, emailIndexes)] : []),
    ];
    const mails = conditions.length
      ? await this.h.db
          .delete(emailMessages)
          .where(or(...conditions))
          .returning({ messageId: emailMessages.messageId })
      : [];
    for (const id of attachmentIds) await this.dp.destroyKey(attachmentOwner(id));
    for (const m of mails) await this.dp.destroyKey(mailOwner(m.messageId));
    return attachmentIds.length + mails.length;
  }

  private async isErased(customerId: string): Promise<boolean> {
    const row = (
      await this.h.db
        .select()
        .from(dataKeys)
        .where(eq(dataKeys.owner, customerOwner(customerId)))
    )[0];
    return row !== undefined && row.destroyedAt !== null;
  }
}
