import type { ApprovalRow } from '@omnigate/store';
import { toApprovalView } from './action-view.mapper';

const row = (over: Partial<ApprovalRow>): ApprovalRow => ({
  id: 'ap-1',
  kind: 'unblock_card',
  customerId: 'cust-1',
  conversationId: 'conv-1',
  target: 'card-1001-a',
  requestedBy: 'alice',
  status: 'pending',
  decidedBy: null,
  reason: null,
  action: null,
  requesterChannel: null,
  nonceHash: null,
  expiresAt: new Date('2026-11-23T10:05:00.000Z'),
  decidedAt: null,
  createdAt: new Date('2026-11-23T10:00:00.000Z'),
  ...over,
});

describe('toApprovalView', () => {
  it('names the card of an unblock request, and the level of every step-up (never its nonce)', () => {
    expect(toApprovalView(row({})).target).toBe('card-1001-a');
    const bound = toApprovalView(
      row({ kind: 'step_up', action: 'unblock_card', nonceHash: 'ab'.repeat(32) }),
    );
    expect(bound.target).toBe('strong');
    expect(JSON.stringify(bound)).not.toContain('abab');
    expect(toApprovalView(row({ kind: 'step_up', target: 'possession' })).target).toBe(
      'possession',
    );
  });
});
