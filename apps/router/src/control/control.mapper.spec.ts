import { handoffNoticeDetail, toQueueCounts } from './control.mapper';

describe('handoffNoticeDetail', () => {
  it('names what is known by keys only, never values', () => {
    const detail = handoffNoticeDetail(
      {
        intent: 'fraud',
        factKeys: ['card_last4', 'amount'],
        asked: 'was_it_you',
        fraudAlertId: '7b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
        contextUnavailable: false,
      },
      { queue: 'fraud', priority: 1 },
    );
    expect(detail).toEqual({
      intent: 'fraud',
      known: 'card_last4,amount',
      asked: 'was_it_you',
      fraudAlertId: '7b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
      contextUnavailable: false,
      queue: 'fraud',
      priority: 1,
    });
  });
});

describe('toQueueCounts', () => {
  it('lists every queue, empty ones too, in skill then priority order', () => {
    const since = new Date('2026-11-23T10:00:00Z');
    const out = toQueueCounts([
      { queue: 'general', priority: 3, waiting: 0, open: 2, oldestWaitingSince: null },
      { queue: 'fraud', priority: 1, waiting: 1, open: 1, oldestWaitingSince: since },
    ]);
    expect(out.map((q) => `${q.queue}:${q.priority}`)).toEqual([
      'fraud:1',
      'onboarding:3',
      'disputes:3',
      'general:3',
    ]);
    expect(out[0]).toMatchObject({ waiting: 1, oldestWaitingSince: since.toISOString() });
  });
});
