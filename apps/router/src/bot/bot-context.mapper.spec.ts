import type { CustomerContextV1, FraudAlertView } from '@omnigate/contracts';
import { fraudBlockOf, isPhoneChannel, linkedAlertOf } from './bot-context.mapper';

const alert = (over: Partial<FraudAlertView>): FraudAlertView => ({
  id: '7b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
  kind: 'card_blocked_by_fraud',
  cardId: 'card-a',
  transactionId: 'tx-9',
  occurredAt: '2026-11-23T09:32:00.000Z',
  status: 'open',
  linked: true,
  ...over,
});
const context = (over: Partial<CustomerContextV1>): CustomerContextV1 => ({
  customer: { id: '0b6f7f5e-6a1c-4b7e-9d2f-1a2b3c4d5e6f', displayName: null, verified: true },
  available: true,
  unavailableReason: null,
  linkedChannels: [],
  cards: [
    {
      id: 'card-a',
      brand: 'visa',
      last4: '4821',
      status: 'blocked',
      blockReason: null,
      blockedBy: 'fraud_engine',
    },
  ],
  recentTransactions: [
    {
      id: 'tx-9',
      at: '2026-11-23T09:31:00.000Z',
      amountMinor: -124_900,
      currency: 'EUR',
      merchant: 'QUICKPAY',
      status: 'declined',
      cardId: 'card-a',
    },
  ],
  openTickets: [],
  ...over,
});

describe('fraudBlockOf', () => {
  it('takes card, time and payment from the linked alert', () => {
    expect(fraudBlockOf(context({ fraudAlerts: [alert({})] }))).toEqual({
      last4: '4821',
      at: new Date('2026-11-23T09:32:00.000Z'),
      payment: { amountMinor: -124_900, currency: 'EUR', merchant: 'QUICKPAY' },
    });
  });

  it('falls back to a card the fraud engine blocked, without time or payment', () => {
    expect(fraudBlockOf(context({ fraudAlerts: [alert({ linked: false })] }))).toEqual({
      last4: '4821',
      at: null,
      payment: null,
    });
  });

  it('is null when nothing was blocked by the fraud engine', () => {
    expect(fraudBlockOf(context({ cards: [], fraudAlerts: [] }))).toBeNull();
  });
});

describe('linkedAlertOf', () => {
  it('prefers a linked card block over another linked signal', () => {
    const sim = alert({
      id: '1b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
      kind: 'sim_swap',
      cardId: null,
    });
    expect(linkedAlertOf(context({ fraudAlerts: [sim, alert({})] }))?.kind).toBe(
      'card_blocked_by_fraud',
    );
  });
});

describe('isPhoneChannel', () => {
  it('counts SMS, WhatsApp and Telegram as phone channels, not the app or email', () => {
    expect(['sms', 'whatsapp', 'telegram'].every((c) => isPhoneChannel(c as never))).toBe(true);
    expect(isPhoneChannel('inapp') || isPhoneChannel('email')).toBe(false);
  });
});
