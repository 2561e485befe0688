import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CORE_BANKING_SEED, SEED_IDS, cloneSeed } from './core-banking.seed';

describe('CORE_BANKING_SEED', () => {
  it('gives every customer a valid E.164 mobile number and a distinct app user id', () => {
    for (const c of CORE_BANKING_SEED.customers) {
      const phone = parsePhoneNumberFromString(c.phone);
      expect(phone?.isValid()).toBe(true);
      expect(phone?.number).toBe(c.phone);
      expect(phone?.getType()).toBe('MOBILE');
    }
    const appIds = CORE_BANKING_SEED.customers.map((c) => c.appUserId);
    expect(new Set(appIds).size).toBe(appIds.length);
  });

  it('has Giulia with a card the fraud engine blocked after a suspicious payment', () => {
    const card = CORE_BANKING_SEED.cards.find((c) => c.id === SEED_IDS.giuliaBlockedCard);
    expect(card).toMatchObject({
      customerId: SEED_IDS.giulia,
      status: 'blocked',
      blockedBy: 'fraud_engine',
    });
    const tx = CORE_BANKING_SEED.transactions.find((t) => t.id === SEED_IDS.suspiciousTransaction);
    expect(tx).toMatchObject({ cardId: card!.id, status: 'declined' });
    expect(card!.blockReason).toContain(tx!.merchant);
    expect(Date.parse(card!.blockedAt!)).toBe(Date.parse(tx!.at));
  });

  it('has a customer in each onboarding state, naming the documents still missing', () => {
    const statuses = new Set(CORE_BANKING_SEED.customers.map((c) => c.kycStatus));
    expect([...statuses]).toEqual(
      expect.arrayContaining(['verified', 'pending', 'missing_documents']),
    );
    for (const c of CORE_BANKING_SEED.customers) {
      expect(c.missingDocuments.length > 0).toBe(c.kycStatus === 'missing_documents');
    }
  });

  it('has an English-speaking customer', () => {
    expect(CORE_BANKING_SEED.customers.some((c) => c.language === 'en')).toBe(true);
  });

  it('only references existing customers and cards', () => {
    const customers = new Set(CORE_BANKING_SEED.customers.map((c) => c.id));
    const cards = new Set(CORE_BANKING_SEED.cards.map((c) => c.id));
    for (const card of CORE_BANKING_SEED.cards) expect(customers.has(card.customerId)).toBe(true);
    for (const tx of CORE_BANKING_SEED.transactions) {
      expect(customers.has(tx.customerId)).toBe(true);
      if (tx.cardId) expect(cards.has(tx.cardId)).toBe(true);
    }
  });

  it('hands each instance its own copy', () => {
    const a = cloneSeed();
    a.cards[0]!.status = 'active';
    expect(cloneSeed().cards[0]!.status).toBe('blocked');
    expect(CORE_BANKING_SEED.cards[0]!.status).toBe('blocked');
  });
});
