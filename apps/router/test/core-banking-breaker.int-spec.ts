import { CircuitBreakerCoreBankingClient } from '../src/core-banking/circuit-breaker.core-banking.client';
import { HttpCoreBankingClient } from '../src/core-banking/http-core-banking.client';
import { CORE_KEY, SEED_IDS, startCoreBanking } from './core-banking.harness';
import type { TestCoreBanking } from './core-banking.harness';
import { pollUntil } from '@omnigate/testing';

describe('core-banking circuit breaker against the stand-in', () => {
  let core: TestCoreBanking;
  let breaker: CircuitBreakerCoreBankingClient;
  let calls: number;

  beforeAll(async () => {
    core = await startCoreBanking();
  });
  beforeEach(() => {
    const http = new HttpCoreBankingClient({
      baseUrl: core.apiUrl,
      apiKey: CORE_KEY,
      timeoutMs: 1_500,
    });
    calls = 0;
    const counting = new Proxy(http, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          calls++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    breaker = new CircuitBreakerCoreBankingClient(counting, { failures: 3, cooldownMs: 400 });
  });
  afterEach(async () => core.reset());
  afterAll(async () => core?.close());

  it('opens when core banking is down, fails fast, and closes once it is back', async () => {
    expect(await breaker.getCards(SEED_IDS.giulia)).toHaveLength(2);
    await core.setDown(true);
    for (let i = 0; i < 3; i++) {
      await expect(breaker.getCards(SEED_IDS.giulia)).rejects.toMatchObject({
        code: 'CORE_BANKING.UNAVAILABLE',
      });
    }
    expect(breaker.state()).toBe('open');
    const before = calls;
    // Fails fast: the open circuit answers without calling core banking at all.
    await expect(breaker.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
    });
    expect(calls).toBe(before);
    await core.setDown(false);
    // Still open until the cooldown passes, then one trial call closes it.
    await pollUntil(() => breaker.state() === 'half_open', { what: 'half-open', timeoutMs: 5_000 });
    expect(await breaker.getCards(SEED_IDS.giulia)).toHaveLength(2);
    expect(breaker.state()).toBe('closed');
    expect(calls).toBe(before + 1);
  });

  it('opens on timeouts of a slow core banking, and reopens when the trial still times out', async () => {
    await core.setLatency(5_000);
    for (let i = 0; i < 3; i++) {
      await expect(breaker.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
        message: 'no answer within 1500 ms',
      });
    }
    await expect(breaker.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
    });
    await pollUntil(() => breaker.state() === 'half_open', { what: 'half-open', timeoutMs: 5_000 });
    await expect(breaker.getCustomer(SEED_IDS.giulia)).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
    });
    expect(breaker.state()).toBe('open');
  });

  it('stays closed on answers that are not failures (unknown customer, unknown card)', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await breaker.getCustomer('cust-9999')).toBeNull();
      await expect(
        breaker.blockCard(SEED_IDS.giulia, 'card-9999', { actor: 'a', reason: 'r' }),
      ).rejects.toMatchObject({ code: 'CORE_BANKING.CARD_NOT_FOUND' });
    }
    expect(breaker.state()).toBe('closed');
  });
});
