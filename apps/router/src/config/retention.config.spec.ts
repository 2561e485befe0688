import { RouterEnv } from './router.config';
import { retentionPolicyOf } from './retention.config';

describe('retention configuration', () => {
  it('has documented defaults', () => {
    const c = RouterEnv.parse({});
    expect(retentionPolicyOf(c)).toEqual({
      closedConversationDays: 730,
      ticketedConversationDays: 3650,
      statusEventsDays: 90,
      unverifiedContactDays: 30,
      batchSize: 500,
      maxBatches: 200,
    });
    expect(c.RETENTION_PURGE_INTERVAL_MS).toBe(21_600_000);
    expect(c.RETENTION_PURGE_START_DELAY_MS).toBe(60_000);
  });

  it('reads the environment and refuses nonsense with every bad key named', () => {
    expect(
      retentionPolicyOf(RouterEnv.parse({ RETENTION_CLOSED_CONVERSATION_DAYS: '365' }))
        .closedConversationDays,
    ).toBe(365);
    const r = RouterEnv.safeParse({
      RETENTION_STATUS_EVENTS_DAYS: '0',
      RETENTION_BATCH_SIZE: 'many',
      RETENTION_PURGE_INTERVAL_MS: '-1',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'RETENTION_BATCH_SIZE',
      'RETENTION_PURGE_INTERVAL_MS',
      'RETENTION_STATUS_EVENTS_DAYS',
    ]);
  });
});
