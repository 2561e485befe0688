import { HttpCoreBankingClient } from '../src/core-banking/http-core-banking.client';
import { CORE_BANKING_SEED, CORE_KEY, SEED_IDS, startCoreBanking } from './core-banking.harness';
import type { TestCoreBanking } from './core-banking.harness';

const GIULIA = CORE_BANKING_SEED.customers.find((c) => c.id === SEED_IDS.giulia)!;

describe('core-banking stand-in and the router HTTP adapter', () => {
  let core: TestCoreBanking;
  let client: HttpCoreBankingClient;
  const get = (path: string, key: string | null = CORE_KEY) =>
    fetch(`${core.apiUrl}${path}`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });

  beforeAll(async () => {
    core = await startCoreBanking();
    client = new HttpCoreBankingClient({
      baseUrl: core.apiUrl,
      apiKey: CORE_KEY,
      timeoutMs: 2_000,
    });
  });
  afterEach(async () => core.reset());
  afterAll(async () => core?.close());

  it("finds a customer by the bank's verified phone and by app user id", async () => {
    const byPhone = await client.findCustomerByPhone(GIULIA.phone);
    expect(byPhone).toMatchObject({
      id: SEED_IDS.giulia,
      fullName: 'Giulia Rossi',
      phone: '+393471234567',
      appUserId: 'app-giulia',
      kycStatus: 'verified',
    });
    expect(await client.findCustomerByAppUser('app-giulia')).toEqual(byPhone);
    expect(await client.findCustomerByEmail('Giulia.Rossi@example.it')).toEqual(byPhone);
    expect(await client.getCustomer(SEED_IDS.giulia)).toEqual(byPhone);
  });

  it('answers null for somebody the bank does not know', async () => {
    expect(await client.findCustomerByPhone('+393201234567')).toBeNull();
    expect(await client.findCustomerByAppUser('app-nobody')).toBeNull();
    expect(await client.findCustomerByEmail('nobody@example.it')).toBeNull();
    expect(await client.getCustomer('cust-9999')).toBeNull();
    expect(await client.getCards('cust-9999')).toEqual([]);
  });

  it('reads cards with who blocked them and why, and the newest transactions first', async () => {
    const cards = await client.getCards(SEED_IDS.giulia);
    const blocked = cards.find((c) => c.id === SEED_IDS.giuliaBlockedCard);
    expect(blocked).toMatchObject({ status: 'blocked', blockedBy: 'fraud_engine', last4: '4821' });
    expect(blocked?.blockReason).toContain('QUICKPAY*ELECTRO-DEALS');
    expect(cards.find((c) => c.id === SEED_IDS.giuliaActiveCard)).toMatchObject({
      status: 'active',
      blockedBy: null,
      blockReason: null,
    });
    const txs = await client.getTransactions(SEED_IDS.giulia, 5);
    expect(txs).toHaveLength(5);
    const times = txs.map((t) => Date.parse(t.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(txs[0]).toMatchObject({
      id: 'tx-1001-09',
      amountMinor: -124_900,
      currency: 'EUR',
      status: 'declined',
    });
  });

  it('accepts a phone whose + was not percent-encoded (arrives as a space)', async () => {
    const res = await get('/customers?phone=+393471234567');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(SEED_IDS.giulia);
  });

  it('refuses a missing or wrong API key with 401', async () => {
    const none = await get(`/customers/${SEED_IDS.giulia}`, null);
    expect(none.status).toBe(401);
    const body = (await none.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CORE_BANKING.UNAUTHORIZED');
    expect(body.error.message).toBe('a valid bearer API key is required');
    expect((await get(`/customers/${SEED_IDS.giulia}`, 'sandbox-core-key')).status).toBe(401);
    const wrongKey = new HttpCoreBankingClient({
      baseUrl: core.apiUrl,
      apiKey: 'not-the-key',
      timeoutMs: 300,
    });
    await expect(wrongKey.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
      message: 'core banking answered HTTP 401',
    });
  });

  it('answers 400 with a reason for a bad lookup or limit, 404 for an unknown customer', async () => {
    const neither = await get('/customers');
    expect(neither.status).toBe(400);
    expect(((await neither.json()) as { error: { code: string } }).error.code).toBe(
      'CORE_BANKING.REQUEST_INVALID',
    );
    expect((await get('/customers?phone=%2B393471234567&appUserId=app-giulia')).status).toBe(400);
    const badLimit = await get(`/customers/${SEED_IDS.giulia}/transactions?limit=0`);
    expect(badLimit.status).toBe(400);
    const limitError = ((await badLimit.json()) as { error: { code: string; message: string } })
      .error;
    expect(limitError.code).toBe('REQUEST.INVALID');
    expect(limitError.message).toContain('limit');
    const unknown = await get('/customers/cust-9999/cards');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      'CORE_BANKING.CUSTOMER_NOT_FOUND',
    );
  });

  it('is UNAVAILABLE when core banking is down (503), and recovers', async () => {
    await core.setDown(true);
    expect((await get(`/customers/${SEED_IDS.giulia}`)).status).toBe(503);
    await expect(client.getCards(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
      message: 'core banking answered HTTP 503',
    });
    await expect(client.findCustomerByPhone(GIULIA.phone)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
    });
    await core.setDown(false);
    expect(await client.getCards(SEED_IDS.giulia)).toHaveLength(2);
  });

  it('gives up after its timeout on a slow core banking', async () => {
    await core.setLatency(8_000);
    const started = Date.now();
    await expect(client.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
      message: 'no answer within 2000 ms',
    });
    // Gave up on its own timeout, long before the stand-in would have answered.
    expect(Date.now() - started).toBeLessThan(7_000);
  });

  it('is UNAVAILABLE when nothing listens', async () => {
    const nowhere = new HttpCoreBankingClient({
      baseUrl: 'http://127.0.0.1:9/core/v1',
      apiKey: CORE_KEY,
      timeoutMs: 300,
    });
    await expect(nowhere.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
    });
  });

  it('reads the KYC status and the documents onboarding still waits for', async () => {
    expect(await client.getCustomer(SEED_IDS.luca)).toMatchObject({
      kycStatus: 'missing_documents',
      missingDocuments: ['proof_of_address', 'identity_document_back'],
    });
    expect(await client.getCustomer(SEED_IDS.chiara)).toMatchObject({
      kycStatus: 'pending',
      missingDocuments: [],
    });
  });

  it("blocks a card for the bank and unblocks it, with who and why in the card's history", async () => {
    const by = { actor: 'agent-alice', reason: 'customer reported the card lost' };
    const blocked = await client.blockCard(SEED_IDS.giulia, SEED_IDS.giuliaActiveCard, by);
    expect(blocked).toMatchObject({
      id: SEED_IDS.giuliaActiveCard,
      status: 'blocked',
      blockedBy: 'bank',
      blockReason: 'customer reported the card lost',
    });
    // Idempotent: a second block keeps the first.
    const again = await client.blockCard(SEED_IDS.giulia, SEED_IDS.giuliaActiveCard, {
      actor: 'agent-bob',
      reason: 'again',
    });
    expect(again).toEqual(blocked);
    const unblocked = await client.unblockCard(SEED_IDS.giulia, SEED_IDS.giuliaBlockedCard, {
      actor: 'agent-alice',
      reason: 'customer confirmed the payments',
    });
    expect(unblocked).toMatchObject({ status: 'active', blockedBy: null, blockReason: null });
    const res = await get(`/customers/${SEED_IDS.giulia}/cards`);
    const { cards } = (await res.json()) as {
      cards: Array<{ id: string; history: Array<Record<string, unknown>> }>;
    };
    expect(cards.find((c) => c.id === SEED_IDS.giuliaBlockedCard)?.history).toEqual([
      {
        action: 'unblocked',
        at: expect.any(String) as unknown,
        actor: 'agent-alice',
        reason: 'customer confirmed the payments',
        blockedBy: 'fraud_engine',
      },
    ]);
    expect(cards.find((c) => c.id === SEED_IDS.giuliaActiveCard)?.history).toHaveLength(1);
    const events = await core.events();
    expect(events.map((e) => e.event)).toEqual([
      expect.objectContaining({
        kind: 'card_unblocked',
        customerRef: SEED_IDS.giulia,
        cardId: SEED_IDS.giuliaBlockedCard,
      }),
    ]);
    // No webhook target configured: kept in the list, never delivered.
    expect(events[0]).toMatchObject({ delivered: false, attempts: [] });
  });

  it('throws CARD_NOT_FOUND for a card or customer the bank does not know, 400 for no reason', async () => {
    const by = { actor: 'agent-alice', reason: 'lost' };
    await expect(client.blockCard(SEED_IDS.giulia, 'card-9999', by)).rejects.toMatchObject({
      code: 'CORE_BANKING.CARD_NOT_FOUND',
    });
    await expect(client.unblockCard('cust-9999', 'card-1001-a', by)).rejects.toMatchObject({
      code: 'CORE_BANKING.CARD_NOT_FOUND',
    });
    // Another customer's card is not this customer's.
    await expect(
      client.blockCard(SEED_IDS.marco, SEED_IDS.giuliaActiveCard, by),
    ).rejects.toMatchObject({ code: 'CORE_BANKING.CARD_NOT_FOUND' });
    const res = await fetch(
      `${core.apiUrl}/customers/${SEED_IDS.giulia}/cards/${SEED_IDS.giuliaActiveCard}/block`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${CORE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ actor: 'agent-alice' }),
      },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'reason',
    );
  });

  it('blocks for the fraud engine on a scripted suspicious payment, naming it', async () => {
    const result = await core.control<{
      event: { kind: string; cardId: string; transactionId: string };
      card: { id: string; blockReason: string };
    }>('fraud-block', {
      customerId: SEED_IDS.marco,
      merchant: 'CRYPTO*FASTBUY',
      amountMinor: 49_900,
    });
    const [card] = await client.getCards(SEED_IDS.marco);
    expect(card).toMatchObject({ status: 'blocked', blockedBy: 'fraud_engine' });
    expect(card!.blockReason).toBe(
      `Suspicious payment of EUR 499.00 to CRYPTO*FASTBUY (transaction ${result.event.transactionId})`,
    );
    const [tx] = await client.getTransactions(SEED_IDS.marco, 1);
    expect(tx).toMatchObject({
      id: result.event.transactionId,
      amountMinor: -49_900,
      merchant: 'CRYPTO*FASTBUY',
      status: 'declined',
      cardId: card!.id,
    });
    expect(result.event).toMatchObject({ kind: 'card_blocked_by_fraud', cardId: card!.id });
  });

  it('serves its OpenAPI document without a key', async () => {
    const res = await fetch(`${core.apiUrl}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/customers/{id}/cards/{cardId}/block');
  });

  it('validates control requests', async () => {
    const res = await fetch(`${core.apiUrl}/_control/down`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CORE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ down: 'yes' }),
    });
    expect(res.status).toBe(400);
  });
});
