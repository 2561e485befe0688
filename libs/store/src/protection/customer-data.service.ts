import { Injectable, Optional } from '@nestjs/common';
import { AppError } from '@omnigate/kit';
import type { CustomerExportV1, ErasureResultV1 } from '@omnigate/contracts';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { ConversationsRepository } from '../repositories/conversations.repository';
import { IdentitiesRepository } from '../repositories/identities.repository';
import { MessagesRepository } from '../repositories/messages.repository';
import { channelIdentities, conversations, customers, dataKeys, tickets } from '../schema';
import { emailAttachments } from '../email/email-schema';
import { attachmentKeyOwner } from '../email/email-attachments.repository';
import { DataProtection, customerOwner } from './data-protection';
import { openTicket } from './row-cipher';
import { approvals, conversationFacts, fraudAlerts, identityProofs } from '../context.schema';
import { consents } from '../compliance.schema';
import { FACT_FIELD } from '../repositories/conversation-facts.repository';
import { ExportParts, emptyExport } from './customer-export.mapper';
import { IdentityChangeFeed } from '../repositories/identity-change-feed';

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

/**
 * GDPR/CCPA rights on one customer, carried out by the router (the owner of these tables) when
 * the console asks: export everything held, decrypted, in one machine-readable bundle; erase by
 * destroying the customer's data key (crypto-shredding: every stored copy, backups included,
 * becomes unreadable). Both audited.
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
    @Optional() private readonly feed: IdentityChangeFeed = new IdentityChangeFeed(),
  ) {}

  async export(customerId: string, actor: string): Promise<CustomerExportV1> {
    const customer = await this.conversations.getCustomer(customerId);
    if (!customer) throw new CustomerNotFoundError();
    const erased = await this.isErased(customerId);
    await this.audit.append({
      actor,
      action: 'customer.export',
      subject: customerId,
      detail: { erased },
    });
    const empty = emptyExport(customerId, erased, new Date());
    if (erased) return empty;
    const msgs = await this.messages.listForCustomer(customerId);
    const history = await this.messages.statusHistory(msgs.map((m) => m.id));
    return {
      ...empty,
      customer: ExportParts.customer(customer),
      identities: (await this.identities.listForCustomer(customerId)).map(ExportParts.identity),
      conversations: (await this.conversations.listForCustomer(customerId)).map(
        ExportParts.conversation,
      ),
      messages: msgs.map((m) => ExportParts.message(m, history)),
      ...(await this.contextPart(customerId)),
      ...(await this.compliancePart(customerId)),
    };
  }

  /** Her consents and the proofs issued to link her addresses (never a code or its hash). */
  private async compliancePart(
    customerId: string,
  ): Promise<Pick<CustomerExportV1, 'consents' | 'identityProofs'>> {
    const [consentRows, proofRows] = await Promise.all([
      this.h.db
        .select()
        .from(consents)
        .where(eq(consents.customerId, customerId))
        .orderBy(consents.channel, consents.purpose),
      this.h.db
        .select()
        .from(identityProofs)
        .where(eq(identityProofs.customerId, customerId))
        .orderBy(identityProofs.createdAt),
    ]);
    return {
      consents: consentRows.map(ExportParts.consent),
      identityProofs: proofRows.map(ExportParts.identityProof),
    };
  }

  /** Tickets and facts (opened), fraud alerts and approvals: what the context holds on them. */
  private async contextPart(
    customerId: string,
  ): Promise<Pick<CustomerExportV1, 'tickets' | 'facts' | 'fraudAlerts' | 'approvals'>> {
    const owner = customerOwner(customerId);
    const [ticketRows, factRows, alertRows, approvalRows] = await Promise.all([
      this.h.db.select().from(tickets).where(eq(tickets.customerId, customerId)),
      this.h.db
        .select()
        .from(conversationFacts)
        .where(eq(conversationFacts.customerId, customerId)),
      this.h.db.select().from(fraudAlerts).where(eq(fraudAlerts.customerId, customerId)),
      this.h.db.select().from(approvals).where(eq(approvals.customerId, customerId)),
    ]);
    return {
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
      facts: await Promise.all(
        factRows.map(async (f) => ({
          conversationId: f.conversationId,
          key: f.key,
          value: await this.dp.open(owner, FACT_FIELD, f.value),
          createdAt: f.createdAt.toISOString(),
        })),
      ),
      fraudAlerts: alertRows.map(ExportParts.fraudAlert),
      approvals: approvalRows.map(ExportParts.approval),
    };
  }

  /**
   * Throws what an erasure of this customer would be refused with (not found; legal hold, audited)
   * before anything is touched: the router checks it before it sweeps the bus.
   */
  async assertErasable(customerId: string, actor: string): Promise<void> {
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
  }

  async erase(customerId: string, actor: string, reason: string): Promise<ErasureResultV1> {
    await this.assertErasable(customerId, actor);
    const now = new Date();
    // Attachments have keys of their own: found through the customer's messages while they can
    // still be read, then shredded.
    const shredded = await this.shredAttachments(customerId);
    await this.dp.destroyKey(customerOwner(customerId));
    // The addresses can write again as strangers: their links end, their index no longer matches.
    const revoked = await this.h.db
      .update(channelIdentities)
      .set({ status: 'revoked', revokedAt: now, addressIndex: `erased:${customerId}` })
      .where(
        and(eq(channelIdentities.customerId, customerId), ne(channelIdentities.status, 'revoked')),
      )
      .returning({ id: channelIdentities.id });
    // Her pending link codes and OTPs go: a proof of an erased customer can never be used.
    await this.h.db.delete(identityProofs).where(eq(identityProofs.customerId, customerId));
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
    // Every router instance forgets her identities and her data key now, not at their expiry.
    await this.feed.changed({ customerIds: [customerId], keysDestroyed: true });
    await this.audit.append({
      actor,
      action: 'customer.erase',
      subject: customerId,
      detail: {
        attachmentKeysShredded: shredded,
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

  /** Destroys the key of every stored attachment of the customer's messages; how many. */
  private async shredAttachments(customerId: string): Promise<number> {
    const msgs = await this.messages.listForCustomer(customerId);
    const ids = msgs.flatMap((m) =>
      m.attachments.filter((a) => a.ref.startsWith('att:')).map((a) => a.ref.slice(4)),
    );
    if (ids.length === 0) return 0;
    const rows = await this.h.db
      .select({ id: emailAttachments.id, keyOwner: emailAttachments.keyOwner })
      .from(emailAttachments)
      .where(inArray(emailAttachments.id, ids));
    const owners = new Set(rows.map(attachmentKeyOwner));
    for (const owner of owners) await this.dp.destroyKey(owner);
    return owners.size;
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
