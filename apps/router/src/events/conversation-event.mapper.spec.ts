import { ConversationEventV1Schema } from '@omnigate/contracts';
import type { ConversationRow, CustomerRow } from '@omnigate/store';
import {
  EventMsgIds,
  nameBasedUuid,
  toConversationEvent,
  toConversationSummary,
} from './conversation-event.mapper';

const conversation: ConversationRow = {
  id: '3f1e6a52-8c1b-4c55-9a51-2a8f4c7d9e01',
  customerId: '9b2d7c40-1e3f-4a6b-8c9d-0e1f2a3b4c5d',
  status: 'open',
  lastChannel: 'inapp',
  lastAddress: 'app-giulia',
  lastOurAddress: 'bank-app',
  channels: ['sms', 'inapp'],
  lastSeq: 2,
  lastMessageAt: new Date('2026-03-02T10:15:00.000Z'),
  lastMessagePreview: 'Vi scrivo dall’app',
  queue: 'general',
  priority: 3,
  control: 'bot_active',
  assignedAgent: null,
  intent: null,
  createdAt: new Date('2026-03-02T10:14:00.000Z'),
  closedAt: null,
};
const customer = (kind: CustomerRow['kind'], displayName: string | null): CustomerRow => ({
  id: conversation.customerId,
  kind,
  coreRef: kind === 'customer' ? 'cust-1001' : null,
  displayName,
  legalHoldUntil: null,
  createdAt: new Date('2026-03-01T00:00:00.000Z'),
});

describe('toConversationSummary', () => {
  it('shows a bank customer as verified, with every channel used', () => {
    expect(toConversationSummary(conversation, customer('customer', 'Giulia Rossi'))).toEqual({
      id: conversation.id,
      status: 'open',
      customer: { id: conversation.customerId, displayName: 'Giulia Rossi', verified: true },
      lastChannel: 'inapp',
      lastMessageAt: '2026-03-02T10:15:00.000Z',
      lastMessagePreview: 'Vi scrivo dall’app',
      channels: ['sms', 'inapp'],
      queue: 'general',
      priority: 3,
      control: 'bot_active',
      assignedAgent: null,
      intent: null,
    });
  });

  it('shows a contact as unverified', () => {
    expect(toConversationSummary(conversation, customer('contact', null)).customer).toEqual({
      id: conversation.customerId,
      displayName: null,
      verified: false,
    });
  });
});

describe('toConversationEvent', () => {
  it('builds a valid v1 event whose id is stable for the same msgId', () => {
    const msgId = EventMsgIds.consent('5c0e2a1b-7d3f-4e5a-9b8c-1d2e3f4a5b6c');
    const body = { kind: 'consent.changed', channel: 'sms', optedOut: true } as const;
    const a = toConversationEvent(
      conversation.id,
      msgId,
      body,
      new Date('2026-03-02T10:16:00.000Z'),
    );
    const b = toConversationEvent(
      conversation.id,
      msgId,
      body,
      new Date('2026-03-02T10:17:00.000Z'),
    );
    expect(ConversationEventV1Schema.parse(a)).toEqual(a);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(
      toConversationEvent(conversation.id, EventMsgIds.created('x'), body, new Date()).id,
    );
  });

  it('names JetStream msgIds after the stored message', () => {
    expect(EventMsgIds.created('m1')).toBe('conv:m1:created');
    expect(EventMsgIds.status('m1', 'delivered')).toBe('conv:m1:status:delivered');
  });
});

describe('nameBasedUuid', () => {
  it('is a version-5, RFC-variant UUID', () => {
    expect(nameBasedUuid('conv:m1:created')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
