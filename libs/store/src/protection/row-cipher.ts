import type { Db } from '../database';
import type { channelIdentities, conversations, customers, messages, tickets } from '../schema';
import { customerOwner } from './data-opener';
import type { DataOpener } from './data-opener';

type MessageRow = typeof messages.$inferSelect;
type ConversationRow = typeof conversations.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;
type IdentityRow = typeof channelIdentities.$inferSelect;
type TicketRow = typeof tickets.$inferSelect;

/** Stored rows with their personal fields opened (the shape every repository returns). */
export async function openMessage(dp: DataOpener, m: MessageRow, db?: Db): Promise<MessageRow> {
  const o = customerOwner(m.customerId);
  return {
    ...m,
    body: await dp.open(o, 'messages.body', m.body, db),
    address: await dp.open(o, 'messages.address', m.address, db),
    providerMessageId: await dp.openNullable(o, 'messages.provider_id', m.providerMessageId, db),
    clientMsgId: await dp.openNullable(o, 'messages.client_msg_id', m.clientMsgId, db),
    attachments: await Promise.all(
      m.attachments.map(async (a) =>
        a.filename === undefined
          ? a
          : { ...a, filename: await dp.open(o, 'messages.attachment_name', a.filename, db) },
      ),
    ),
  };
}

export async function openConversation(
  dp: DataOpener,
  c: ConversationRow,
  db?: Db,
): Promise<ConversationRow> {
  const o = customerOwner(c.customerId);
  return {
    ...c,
    lastAddress: await dp.open(o, 'conversations.last_address', c.lastAddress, db),
    lastMessagePreview: await dp.open(o, 'conversations.preview', c.lastMessagePreview, db),
  };
}

export async function openCustomer(dp: DataOpener, c: CustomerRow, db?: Db): Promise<CustomerRow> {
  return {
    ...c,
    displayName: await dp.openNullable(
      customerOwner(c.id),
      'customers.display_name',
      c.displayName,
      db,
    ),
  };
}

export async function openIdentity(dp: DataOpener, i: IdentityRow, db?: Db): Promise<IdentityRow> {
  return {
    ...i,
    address: await dp.open(
      customerOwner(i.customerId),
      'channel_identities.address',
      i.address,
      db,
    ),
  };
}

export async function openTicket(dp: DataOpener, t: TicketRow, db?: Db): Promise<TicketRow> {
  return {
    ...t,
    subject: await dp.open(customerOwner(t.customerId), 'tickets.subject', t.subject, db),
  };
}
