import type { CustomerContextV1 } from '@omnigate/contracts';
import { amountMinorOf, matchPayment, planBotReply } from './bot-flow.mapper';
import type { BotInput } from './bot-flow.mapper';

type Tx = CustomerContextV1['recentTransactions'][number];
const tx = (id: string, amountMinor: number, merchant: string, over: Partial<Tx> = {}): Tx => ({
  id,
  at: '2026-11-20T10:00:00.000Z',
  amountMinor,
  currency: 'EUR',
  merchant,
  status: 'settled',
  cardId: 'card-1',
  ...over,
});
const txs = [
  tx('t1', -8999, 'Zalando SE'),
  tx('t2', -1250, 'Bar Marchesi'),
  tx('t3', 8999, 'Refund'),
];
const base: BotInput = {
  intent: 'fraud',
  language: 'en',
  verified: true,
  available: true,
  assurance: 'possession',
  fraudBlock: {
    last4: '4821',
    at: new Date('2026-11-23T09:32:00Z'),
    payment: { amountMinor: -124_900, currency: 'EUR', merchant: 'QUICKPAY' },
  },
  cards: [],
  transactions: txs,
  kycStatus: 'verified',
  facts: [],
  timeZone: 'Europe/Rome',
};

describe('planBotReply', () => {
  it('fraud at possession: tells what happened and hands off', () => {
    const p = planBotReply(base);
    expect(p.text).toContain('4821');
    expect(p.text).toContain('QUICKPAY');
    expect(p).toMatchObject({
      handoff: true,
      stepUp: false,
      journey: 'fraud',
      asked: 'was_it_you',
    });
    // One fraud case per block: the ticket names the card and the payment, never more.
    expect(p.ticket).toMatch(/^Fraud: card •••• 4821 blocked by the fraud engine after .*QUICKPAY/);
  });

  it('fraud at assurance none: no details, a step-up, a handoff', () => {
    const p = planBotReply({ ...base, assurance: 'none' });
    expect(p.text).not.toContain('4821');
    expect(p.text).not.toContain('QUICKPAY');
    expect(p).toMatchObject({ handoff: true, stepUp: true });
    expect(p.ticket).toContain('Fraud: card');
  });

  it('fraud without a fraud-engine block opens no case on its own', () => {
    expect(planBotReply({ ...base, fraudBlock: null }).ticket).toBeNull();
  });

  it('a card blocked by the fraud engine is the fraud journey', () => {
    expect(planBotReply({ ...base, intent: 'card_blocked' }).journey).toBe('fraud');
  });

  it('a card blocked by the customer: answers and offers a person, no handoff', () => {
    const p = planBotReply({
      ...base,
      intent: 'card_blocked',
      fraudBlock: null,
      cards: [
        {
          id: 'c',
          brand: 'visa',
          last4: '1111',
          status: 'blocked',
          blockReason: null,
          blockedBy: 'customer',
        },
      ],
    });
    expect(p.text).toContain('1111');
    expect(p).toMatchObject({ journey: 'card', handoff: false });
  });

  it('human: hands off at once', () => {
    expect(planBotReply({ ...base, intent: 'human' })).toMatchObject({
      handoff: true,
      journey: 'human',
    });
  });

  it('core banking down: says so and hands off, no data', () => {
    const p = planBotReply({ ...base, available: false });
    expect(p).toMatchObject({ handoff: true });
    expect(p.text).not.toContain('4821');
  });

  it('an unverified contact gets no bank data', () => {
    const p = planBotReply({ ...base, verified: false });
    expect(p.text).not.toContain('4821');
    expect(p.handoff).toBe(true);
  });

  it('dispute without a named payment: lists the payments and asks which', () => {
    const p = planBotReply({ ...base, intent: 'dispute', fraudBlock: null });
    expect(p).toMatchObject({ asked: 'which_transaction', handoff: false, ticket: null });
    expect(p.text).toContain('Zalando SE');
    expect(p.text).not.toContain('Refund');
  });

  it('does not offer a declined payment for a dispute', () => {
    const declined = tx('t9', -124_900, 'QUICKPAY', { status: 'declined' });
    const p = planBotReply({ ...base, intent: 'dispute', transactions: [declined, ...txs] });
    expect(p.text).not.toContain('QUICKPAY');
  });

  it('dispute with the payment in the facts: opens a ticket, hands off, never asks again', () => {
    const p = planBotReply({
      ...base,
      intent: 'dispute',
      facts: [{ key: 'merchant', value: 'zalando' }],
    });
    expect(p.ticket).toBe('Dispute: 89.99 EUR Zalando SE (2026-11-20)');
    expect(p).toMatchObject({ handoff: true, asked: null });
  });

  it('dispute naming a payment we cannot find: hands off instead of asking again', () => {
    const p = planBotReply({
      ...base,
      intent: 'dispute',
      facts: [{ key: 'amount', value: '777' }],
    });
    expect(p).toMatchObject({ handoff: true, asked: null, ticket: null });
  });

  it('onboarding with missing documents: answers and opens a ticket', () => {
    const p = planBotReply({
      ...base,
      intent: 'onboarding',
      kycStatus: 'missing_documents',
      language: 'it',
    });
    expect(p).toMatchObject({ ticket: 'Onboarding: documents missing', handoff: false });
    expect(p.text).toMatch(/documenti/);
  });

  it('onboarding names the missing documents in the customer’s language', () => {
    const input = {
      ...base,
      intent: 'onboarding' as const,
      kycStatus: 'missing_documents',
      missingDocuments: ['proof_of_address', 'identity_document_back', 'utility_bill'],
    };
    expect(planBotReply({ ...input, language: 'en' }).text).toContain(
      'we still need a proof of address, the back of your identity document and utility bill',
    );
    expect(planBotReply({ ...input, language: 'it', missingDocuments: ['selfie'] }).text).toContain(
      'ci manca un selfie per la verifica',
    );
  });

  it('transfer stuck: names the pending transfer', () => {
    const p = planBotReply({
      ...base,
      intent: 'transfer_stuck',
      transactions: [tx('b1', -50_000, 'Mario Rossi', { cardId: null, status: 'pending' })],
    });
    expect(p.text).toContain('500.00 EUR');
    expect(p.handoff).toBe(false);
  });
});

describe('matchPayment', () => {
  it('matches on merchant and amount, and only a single payment', () => {
    // The refund has the same size as the Zalando payment: two candidates, no match.
    expect(matchPayment(txs, [{ key: 'amount', value: '89,99' }])).toBeNull();
    const payments = txs.filter((t) => t.amountMinor < 0);
    expect(matchPayment(payments, [{ key: 'amount', value: '89,99' }])?.id).toBe('t1');
    expect(matchPayment(txs, [{ key: 'merchant', value: 'bar' }])?.id).toBe('t2');
    expect(matchPayment(txs, [{ key: 'card_last4', value: '4821' }])).toBeNull();
  });
});

describe('amountMinorOf', () => {
  it.each([
    ['950', 95_000],
    ['950.00', 95_000],
    ['950,5', 95_050],
    ['1.249,00', 124_900],
    ['1,249.00', 124_900],
    ['€ 12', 1200],
  ])('%s → %i', (v, minor) => {
    expect(amountMinorOf(v)).toBe(minor);
  });

  it('refuses what is not an amount', () => {
    expect(amountMinorOf('abc')).toBeNull();
    expect(amountMinorOf(undefined)).toBeNull();
  });
});
