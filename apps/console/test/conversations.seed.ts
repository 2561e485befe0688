import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { DbHandle, IdentitiesRepository, MessagesRepository, conversations } from '@omnigate/store';

/**
 * One customer (bank-verified phone + app user) who wrote on SMS, then in the app; two agent
 * replies: the SMS one delivered (statuses arrived out of order), the in-app one failed.
 */
export async function seedTwoChannelConversation(mod: TestingModule) {
  const identities = mod.get(IdentitiesRepository);
  const messages = mod.get(MessagesRepository);
  const sms = await identities.link({
    channel: 'sms',
    address: '+393331112222',
    coreRef: 'C-100',
    displayName: 'Giulia Bianchi',
    linkMethod: 'bank_verified_phone',
    assurance: 'possession',
  });
  await identities.link({
    channel: 'inapp',
    address: 'app-user-100',
    coreRef: 'C-100',
    displayName: 'Giulia Bianchi',
    linkMethod: 'app_jwt',
    assurance: 'app_session',
  });
  const inbound = (channel: string, address: string, body: string, at: string) =>
    messages.appendInbound({
      customerId: sms.customer.id,
      channel,
      address,
      ourAddress: channel === 'sms' ? '+390212345678' : 'bank-app',
      kind: 'text',
      body,
      attachments: [],
      providerMessageId: randomUUID(),
      dedupeKey: `${channel}:${randomUUID()}`,
      clientMsgId: null,
      receivedAt: new Date(at),
    });
  const first = await inbound(
    'sms',
    '+393331112222',
    'La mia carta è bloccata',
    '2025-03-01T10:00:00Z',
  );
  const second = await inbound(
    'inapp',
    'app-user-100',
    'Vi scrivo anche dall’app',
    '2025-03-01T10:01:00Z',
  );
  const conversationId = first.conversation.id;
  const outbound = (channel: string, address: string, body: string) =>
    messages.appendOutbound({
      conversationId,
      channel,
      address,
      body,
      authorKind: 'agent',
      authorId: 'alice',
      dedupeKey: `reply:${randomUUID()}`,
    });
  const smsReply = await outbound('sms', '+393331112222', 'Controllo subito');
  for (const [state, s] of [
    ['queued', 0],
    ['delivered', 9],
    ['sent', 3],
  ] as const) {
    await messages.applyStatus(
      smsReply.message.id,
      state,
      null,
      new Date(Date.parse('2025-03-01T10:02:00Z') + s * 1000),
    );
  }
  const appReply = await outbound('inapp', 'app-user-100', 'Mi conferma il numero?');
  await messages.applyStatus(appReply.message.id, 'queued', null, new Date('2025-03-01T10:05:00Z'));
  await messages.applyStatus(
    appReply.message.id,
    'failed',
    { code: 'INAPP.NO_DEVICE', reason: 'no device connected' },
    new Date('2025-03-01T10:05:02Z'),
  );
  return {
    conversationId,
    smsReplyId: smsReply.message.id,
    failedReplyId: appReply.message.id,
    inboundIds: [first.message.id, second.message.id],
  };
}

/** An unverified contact's conversation, closed (no repository closes one yet: the seed does it directly). */
export async function seedClosedConversation(mod: TestingModule): Promise<string> {
  const contact = await mod.get(IdentitiesRepository).createContact('sms', '+393339998888', null);
  const { conversation } = await mod.get(MessagesRepository).appendInbound({
    customerId: contact.customer.id,
    channel: 'sms',
    address: '+393339998888',
    ourAddress: '+390212345678',
    kind: 'text',
    body: 'Buongiorno',
    attachments: [],
    providerMessageId: randomUUID(),
    dedupeKey: `sms:${randomUUID()}`,
    clientMsgId: null,
    receivedAt: new Date('2025-02-01T09:00:00Z'),
  });
  await mod
    .get(DbHandle)
    .db.update(conversations)
    .set({ status: 'closed', closedAt: new Date() })
    .where(eq(conversations.id, conversation.id));
  return conversation.id;
}
