import type { ConversationEventV1, CustomerContextV1, MessageView } from '@omnigate/contracts';
import {
  maskAddress,
  maskContext,
  maskConversationEvent,
  maskEmail,
  maskPhone,
  maskText,
} from './personal-data.mapper';

describe('maskPhone / maskEmail / maskAddress', () => {
  it('keeps the country code and the last four digits of a phone', () => {
    expect(maskPhone('+393331234567')).toBe('+39 ••• ••• 4567');
    expect(maskPhone('+14155550100')).toBe('+1 ••• ••• 0100');
    expect(maskPhone('333 123 4567')).toBe('••• ••• 4567');
    expect(maskPhone('+3912')).toBe('•••');
  });

  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('giulia.bianchi@example.it')).toBe('g•••@example.it');
    expect(maskEmail('not-an-email')).toBe('•••');
  });

  it('masks by channel; ids keep only a short tail', () => {
    expect(maskAddress('sms', '+393331112222')).toBe('+39 ••• ••• 2222');
    expect(maskAddress('sms', '+39•••••4567')).toBe('+39•••••4567');
    expect(maskAddress('whatsapp', '393331112222')).toBe('••• ••• 2222');
    expect(maskAddress('email', 'mario@bank.example')).toBe('m•••@bank.example');
    expect(maskAddress('inapp', 'app-user-100')).toBe('•••100');
    expect(maskAddress('telegram', '123')).toBe('•••');
  });
});

describe('maskText', () => {
  it('masks phones and emails inside a message, leaving dates, amounts and tokens', () => {
    expect(
      maskText(
        'Scrivetemi a g.rossi@example.it o chiamate il +39 333 123 4567 entro il 2025-03-01',
      ),
    ).toBe('Scrivetemi a g•••@example.it o chiamate il +39 ••• ••• 4567 entro il 2025-03-01');
    const untouched =
      'Ho pagato 1.250,00 EUR alle 10:30, carta ref_abcdefghijklmnopabcd, ordine 1234567';
    expect(maskText(untouched)).toBe(untouched);
  });
});

const CONV = '7b7f3d1e-8c1a-4c59-9a4e-2f0d8b1c6a10';
const message: MessageView = {
  id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  conversationId: CONV,
  seq: 1,
  direction: 'inbound',
  channel: 'sms',
  kind: 'text',
  text: 'il mio numero nuovo è 3471234567',
  attachments: [],
  author: { kind: 'customer', id: null },
  status: null,
  statusError: null,
  clientMsgId: null,
  createdAt: '2025-03-01T10:00:00.000Z',
};

describe('maskContext / maskConversationEvent', () => {
  it('masks linked addresses and provided facts, nothing else', () => {
    const ctx: CustomerContextV1 = {
      customer: {
        id: '0c7e5d8a-3b2f-4e1d-8a9b-6c5d4e3f2a1b',
        displayName: 'Maria',
        verified: true,
      },
      available: true,
      unavailableReason: null,
      linkedChannels: [
        { channel: 'sms', address: '+393331234567', assurance: 'possession' },
        { channel: 'email', address: 'maria@example.it', assurance: 'possession' },
      ],
      cards: [],
      recentTransactions: [],
      openTickets: [],
      providedFacts: [{ key: 'contact', value: 'maria.r@example.it' }],
    };
    const masked = maskContext(ctx);
    expect(masked.linkedChannels.map((l) => l.address)).toEqual([
      '+39 ••• ••• 4567',
      'm•••@example.it',
    ]);
    expect(masked.providedFacts).toEqual([{ key: 'contact', value: 'm•••@example.it' }]);
    expect(masked.customer).toEqual(ctx.customer);
    expect(ctx.linkedChannels[0]!.address).toBe('+393331234567');
  });

  it('masks a new message and its preview in a live event; other events pass unchanged', () => {
    const created: ConversationEventV1 = {
      type: 'omnigate.conv.event.v1',
      version: 1,
      id: 'b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      occurredAt: '2025-03-01T10:00:00.000Z',
      conversationId: CONV,
      event: {
        kind: 'message.created',
        conversation: {
          id: CONV,
          status: 'open',
          customer: {
            id: '0c7e5d8a-3b2f-4e1d-8a9b-6c5d4e3f2a1b',
            displayName: null,
            verified: false,
          },
          lastChannel: 'sms',
          lastMessageAt: '2025-03-01T10:00:00.000Z',
          lastMessagePreview: message.text,
          channels: ['sms'],
        },
        message,
      },
    };
    const masked = maskConversationEvent(created);
    if (masked.event.kind !== 'message.created') throw new Error('kind changed');
    expect(masked.event.message.text).toBe('il mio numero nuovo è ••• ••• 4567');
    expect(masked.event.conversation.lastMessagePreview).toBe('il mio numero nuovo è ••• ••• 4567');
    const status = {
      ...created,
      event: { kind: 'message.status', messageId: message.id, state: 'sent', error: null },
    } as ConversationEventV1;
    expect(maskConversationEvent(status)).toBe(status);
  });
});
