import { CoreBankingEventV1Schema } from '@omnigate/contracts';
import { CoreEventWebhookSchema, envelopeIdOf, toCoreBankingEvent } from './core-event.mapper';

describe('toCoreBankingEvent', () => {
  it('maps a fraud block with its card and payment to a valid CoreBankingEventV1', () => {
    const body = CoreEventWebhookSchema.parse({
      id: 'evt_0001',
      kind: 'card_blocked_by_fraud',
      occurredAt: '2026-11-23T10:32:00.000Z',
      customerRef: 'cust-1001',
      cardId: 'card-1001-a',
      transactionId: 'tx-1001-09',
      somethingNew: 'ignored',
    });
    const event = toCoreBankingEvent(body);
    expect(CoreBankingEventV1Schema.parse(event)).toEqual({
      type: 'omnigate.core.event.v1',
      version: 1,
      id: envelopeIdOf('evt_0001'),
      occurredAt: '2026-11-23T10:32:00.000Z',
      kind: 'card_blocked_by_fraud',
      coreEventId: 'evt_0001',
      customerRef: 'cust-1001',
      cardId: 'card-1001-a',
      transactionId: 'tx-1001-09',
    });
  });

  it('leaves out the card and payment of a signal without them', () => {
    const event = toCoreBankingEvent(
      CoreEventWebhookSchema.parse({
        id: 'evt_0002',
        kind: 'sim_swap',
        occurredAt: '2026-11-23T10:32:00+01:00',
        customerRef: 'cust-1001',
      }),
    );
    expect(event).not.toHaveProperty('cardId');
    expect(event).not.toHaveProperty('transactionId');
    expect(CoreBankingEventV1Schema.safeParse(event).success).toBe(true);
  });

  it('derives one stable UUID per bank event id', () => {
    expect(envelopeIdOf('evt_0001')).toBe(envelopeIdOf('evt_0001'));
    expect(envelopeIdOf('evt_0001')).not.toBe(envelopeIdOf('evt_0002'));
    expect(envelopeIdOf('evt_0001')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('refuses an unknown kind, a missing customer or a bad time', () => {
    const ok = {
      id: 'e',
      kind: 'new_device',
      occurredAt: '2026-11-23T10:32:00Z',
      customerRef: 'c',
    };
    expect(CoreEventWebhookSchema.safeParse(ok).success).toBe(true);
    expect(CoreEventWebhookSchema.safeParse({ ...ok, kind: 'card_stolen' }).success).toBe(false);
    expect(CoreEventWebhookSchema.safeParse({ ...ok, customerRef: '' }).success).toBe(false);
    expect(CoreEventWebhookSchema.safeParse({ ...ok, occurredAt: 'yesterday' }).success).toBe(
      false,
    );
    expect(CoreEventWebhookSchema.safeParse({ ...ok, id: 'x'.repeat(129) }).success).toBe(false);
  });
});
