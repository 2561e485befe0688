import type { CustomerExportV1 } from '@omnigate/contracts';
import type { approvals, fraudAlerts, identityProofs } from '../context.schema';
import type { ConsentRow } from '../repositories/consents.repository';
import type { CustomerRow } from '../repositories/conversations.repository';
import type { ConversationRow } from '../repositories/conversations.repository';
import type { ChannelIdentityRow } from '../repositories/identities.repository';
import type { MessageRow, MessageStatusEventRow } from '../repositories/messages-reader.repository';

/** The bundle of a customer with nothing in it: what an erased customer's export is. Pure. */
export function emptyExport(customerId: string, erased: boolean, at: Date): CustomerExportV1 {
  return {
    format: 'omnigate.customer-export.v1',
    customerId,
    exportedAt: at.toISOString(),
    erased,
    customer: null,
    identities: [],
    conversations: [],
    messages: [],
    tickets: [],
    facts: [],
    fraudAlerts: [],
    approvals: [],
    consents: [],
    identityProofs: [],
    vaultCards: [],
  };
}

/** Opened rows → the bundle's parts (dates as ISO text). Pure. */
export const ExportParts = {
  customer: (c: CustomerRow): CustomerExportV1['customer'] => ({
    kind: c.kind,
    coreRef: c.coreRef,
    displayName: c.displayName,
    createdAt: c.createdAt.toISOString(),
  }),
  identity: (i: ChannelIdentityRow): CustomerExportV1['identities'][number] => ({
    channel: i.channel,
    address: i.address,
    status: i.status,
    linkMethod: i.linkMethod,
    assurance: i.assurance,
    createdAt: i.createdAt.toISOString(),
  }),
  conversation: (c: ConversationRow): CustomerExportV1['conversations'][number] => ({
    id: c.id,
    status: c.status,
    channels: c.channels,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  }),
  message: (
    m: MessageRow,
    history: readonly MessageStatusEventRow[],
  ): CustomerExportV1['messages'][number] => ({
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
  }),
  fraudAlert: (a: typeof fraudAlerts.$inferSelect): CustomerExportV1['fraudAlerts'][number] => ({
    kind: a.kind,
    cardId: a.cardId,
    transactionId: a.transactionId,
    occurredAt: a.occurredAt.toISOString(),
    status: a.status,
  }),
  approval: (a: typeof approvals.$inferSelect): CustomerExportV1['approvals'][number] => ({
    kind: a.kind,
    target: a.target,
    status: a.status,
    requestedBy: a.requestedBy,
    decidedBy: a.decidedBy,
    createdAt: a.createdAt.toISOString(),
  }),
  consent: (c: ConsentRow): CustomerExportV1['consents'][number] => ({
    channel: c.channel,
    purpose: c.purpose,
    granted: c.granted,
    source: c.source,
    updatedBy: c.updatedBy,
    updatedAt: c.updatedAt.toISOString(),
  }),
  /** A proof without its code hash or address index (neither tells the customer anything). */
  identityProof: (
    p: typeof identityProofs.$inferSelect,
  ): CustomerExportV1['identityProofs'][number] => ({
    kind: p.kind,
    channel: p.channel,
    attempts: p.attempts,
    createdAt: p.createdAt.toISOString(),
    expiresAt: p.expiresAt.toISOString(),
    usedAt: p.usedAt?.toISOString() ?? null,
  }),
};
