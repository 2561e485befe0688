import type { ConversationWithCustomer, messageStatusEvents } from '@omnigate/store';
import { ConversationSummarySchema } from '@omnigate/contracts';
import { toConversationSummary, toStatusHistory } from './conversation-view.mapper';

const convId = '7b7f3d1e-8c1a-4c59-9a4e-2f0d8b1c6a10';
const custId = '0c7e5d8a-3b2f-4e1d-8a9b-6c5d4e3f2a1b';
const msgA = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const msgB = 'b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function row(kind: 'customer' | 'contact'): ConversationWithCustomer {
  const at = new Date('2025-03-01T10:00:00.000Z');
  return {
    conversation: {
      id: convId,
      customerId: custId,
      status: 'open',
      lastChannel: 'inapp',
      lastAddress: 'app-user-1',
      lastOurAddress: null,
      channels: ['sms', 'inapp'],
      lastSeq: 3,
      lastMessageAt: at,
      lastMessagePreview: 'ancora io',
      queue: 'general',
      priority: 3,
      control: 'bot_active',
      assignedAgent: null,
      intent: null,
      createdAt: at,
      closedAt: null,
    },
    customer: {
      id: custId,
      kind,
      coreRef: kind === 'customer' ? 'C-1' : null,
      displayName: 'Maria Rossi',
      legalHoldUntil: null,
      createdAt: at,
    },
  };
}

type StatusRow = typeof messageStatusEvents.$inferSelect;
const ev = (messageId: string, state: string, at: string, err?: [string, string]): StatusRow => ({
  messageId,
  state,
  errorCode: err?.[0] ?? null,
  errorReason: err?.[1] ?? null,
  occurredAt: new Date(at),
  recordedAt: new Date(at),
});

describe('toConversationSummary', () => {
  it('maps a verified customer conversation to a valid ConversationSummary', () => {
    const s = toConversationSummary(row('customer'));
    expect(ConversationSummarySchema.parse(s)).toEqual(s);
    expect(s).toEqual({
      id: convId,
      status: 'open',
      customer: { id: custId, displayName: 'Maria Rossi', verified: true },
      lastChannel: 'inapp',
      lastMessageAt: '2025-03-01T10:00:00.000Z',
      lastMessagePreview: 'ancora io',
      channels: ['sms', 'inapp'],
      queue: 'general',
      priority: 3,
      control: 'bot_active',
      assignedAgent: null,
      intent: null,
    });
  });

  it('marks an unverified contact as not verified', () => {
    expect(toConversationSummary(row('contact')).customer.verified).toBe(false);
  });
});

describe('toStatusHistory', () => {
  it('groups by message in the given order and keeps errors only where there is one', () => {
    const h = toStatusHistory([
      ev(msgA, 'queued', '2025-03-01T10:00:00Z'),
      ev(msgB, 'failed', '2025-03-01T10:00:01Z', ['30003', 'unreachable handset']),
      ev(msgA, 'sent', '2025-03-01T10:00:02Z'),
    ]);
    expect(h).toEqual({
      [msgA]: [
        { state: 'queued', at: '2025-03-01T10:00:00.000Z' },
        { state: 'sent', at: '2025-03-01T10:00:02.000Z' },
      ],
      [msgB]: [
        {
          state: 'failed',
          at: '2025-03-01T10:00:01.000Z',
          error: { code: '30003', reason: 'unreachable handset' },
        },
      ],
    });
  });

  it('is empty without events', () => {
    expect(toStatusHistory([])).toEqual({});
  });
});
