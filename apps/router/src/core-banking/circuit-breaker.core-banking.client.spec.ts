import { CircuitBreakerCoreBankingClient } from './circuit-breaker.core-banking.client';
import { CoreBankingPort } from './core-banking.port';
import type { CoreCard, CoreCustomer, CoreTransaction } from './core-banking.port';
import { CoreBankingUnavailableError, CoreCardNotFoundError } from './core-banking.errors';

const CARD: CoreCard = {
  id: 'c1',
  brand: 'visa',
  last4: '4821',
  status: 'active',
  blockReason: null,
  blockedBy: null,
  blockedAt: null,
};

/** An in-memory bank that can be down, and can hold a call open (to test the half-open trial). */
class SwitchableCoreBanking extends CoreBankingPort {
  calls = 0;
  down = false;
  invalidated: string[] = [];
  hold: Promise<void> | null = null;

  private async answer<T>(value: T): Promise<T> {
    this.calls++;
    if (this.hold) await this.hold;
    if (this.down) throw new CoreBankingUnavailableError('down');
    return value;
  }
  findCustomerByPhone(): Promise<CoreCustomer | null> {
    return this.answer(null);
  }
  findCustomerByAppUser(): Promise<CoreCustomer | null> {
    return this.answer(null);
  }
  findCustomerByEmail(): Promise<CoreCustomer | null> {
    return this.answer(null);
  }
  getCustomer(): Promise<CoreCustomer | null> {
    return this.answer(null);
  }
  getCards(): Promise<CoreCard[]> {
    return this.answer([CARD]);
  }
  getTransactions(): Promise<CoreTransaction[]> {
    return this.answer([]);
  }
  async blockCard(): Promise<CoreCard> {
    await this.answer(null);
    throw new CoreCardNotFoundError();
  }
  unblockCard(): Promise<CoreCard> {
    return this.answer(CARD);
  }
  override invalidate(customerRef: string): void {
    this.invalidated.push(customerRef);
  }
}

describe('CircuitBreakerCoreBankingClient', () => {
  let clock: number;
  let bank: SwitchableCoreBanking;
  let breaker: CircuitBreakerCoreBankingClient;
  const fail = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        breaker.getCards('x').then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      ),
    );

  beforeEach(() => {
    clock = 1_000_000;
    bank = new SwitchableCoreBanking();
    breaker = new CircuitBreakerCoreBankingClient(bank, {
      failures: 3,
      cooldownMs: 10_000,
      now: () => clock,
    });
  });

  it('stays closed below the threshold and counts only consecutive failures', async () => {
    bank.down = true;
    await fail(2);
    bank.down = false;
    await breaker.getCards('x');
    bank.down = true;
    expect(await fail(2)).toEqual(['CORE_BANKING.UNAVAILABLE', 'CORE_BANKING.UNAVAILABLE']);
    expect(breaker.state()).toBe('closed');
    expect(bank.calls).toBe(5);
  });

  it('opens after N consecutive failures and then fails fast without calling the bank', async () => {
    bank.down = true;
    await fail(3);
    expect(breaker.state()).toBe('open');
    bank.down = false;
    await expect(breaker.getCustomer('x')).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
      message: 'core banking is failing: calls paused for 10000 ms',
    });
    await expect(
      breaker.unblockCard('x', 'c1', { actor: 'a', reason: 'r' }),
    ).rejects.toBeInstanceOf(CoreBankingUnavailableError);
    expect(bank.calls).toBe(3);
  });

  it('lets one trial through after the cooldown: success closes the circuit', async () => {
    bank.down = true;
    await fail(3);
    clock += 9_999;
    await expect(breaker.getCards('x')).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
    });
    clock += 1;
    expect(breaker.state()).toBe('half_open');
    bank.down = false;
    let release!: () => void;
    bank.hold = new Promise((r) => (release = r));
    const trial = breaker.getCards('x');
    // While the trial is in flight, everybody else still fails fast.
    await expect(breaker.getCards('y')).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
    });
    release();
    bank.hold = null;
    await expect(trial).resolves.toEqual([CARD]);
    expect(breaker.state()).toBe('closed');
    await expect(breaker.getCards('y')).resolves.toEqual([CARD]);
    expect(bank.calls).toBe(5);
  });

  it('reopens for a full cooldown when the trial fails', async () => {
    bank.down = true;
    await fail(3);
    clock += 10_000;
    await expect(breaker.getCards('x')).rejects.toMatchObject({ code: 'CORE_BANKING.UNAVAILABLE' });
    expect(breaker.state()).toBe('open');
    clock += 5_000;
    await expect(breaker.getCards('x')).rejects.toMatchObject({
      code: 'CORE_BANKING.CIRCUIT_OPEN',
    });
    expect(bank.calls).toBe(4);
  });

  it('counts an answer that is an error of the caller (card not found) as the bank being up', async () => {
    bank.down = true;
    await fail(2);
    bank.down = false;
    await expect(breaker.blockCard('x', 'nope', { actor: 'a', reason: 'r' })).rejects.toMatchObject(
      {
        code: 'CORE_BANKING.CARD_NOT_FOUND',
      },
    );
    bank.down = true;
    await fail(2);
    expect(breaker.state()).toBe('closed');
  });

  it('passes invalidate through', () => {
    breaker.invalidate('cust-1');
    expect(bank.invalidated).toEqual(['cust-1']);
  });
});
