import type { FraudAlertRow } from '@omnigate/store';
import { toFraudAlertViews } from './customer-context-routing.mapper';

const row = (id: string, minute: number, conversationId: string | null): FraudAlertRow => ({
  id,
  coreEventId: `evt-${id}`,
  customerId: '0b6f7f5e-6a1c-4b7e-9d2f-1a2b3c4d5e6f',
  kind: 'card_blocked_by_fraud',
  cardId: 'card-a',
  transactionId: null,
  occurredAt: new Date(Date.UTC(2026, 10, 23, 10, minute)),
  conversationId,
  status: 'open',
  createdAt: new Date(),
});

describe('toFraudAlertViews', () => {
  it('lists newest first and flags the alerts linked to this conversation only', () => {
    const here = '7b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    const other = '1b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    const a = '2b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    const b = '3b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    const c = '4b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    const views = toFraudAlertViews([row(a, 1, here), row(b, 5, other), row(c, 3, null)], here);
    expect(views.map((v) => [v.id, v.linked])).toEqual([
      [b, false],
      [c, false],
      [a, true],
    ]);
    expect(views[0]!.occurredAt).toBe('2026-11-23T10:05:00.000Z');
  });
});
