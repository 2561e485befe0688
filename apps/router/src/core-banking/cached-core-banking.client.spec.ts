import { CachedCoreBankingClient } from './cached-core-banking.client';
import { CoreBankingPort } from './core-banking.port';
import type { CardActor, CoreCard, CoreCustomer, CoreTransaction } from './core-banking.port';
import { CoreBankingUnavailableError } from './core-banking.errors';

/** An in-memory adapter that counts calls and can be switched off: the cache's only collaborator. */
class CountingCoreBanking extends CoreBankingPort {
  calls: string[] = [];
  down = false;
  cards: CoreCard[] = [
    {
      id: 'c1',
      brand: 'visa',
      last4: '4821',
      status: 'active',
      blockReason: null,
      blockedBy: null,
      blockedAt: null,
    },
  ];

  private record(call: string): void {
    this.calls.push(call);
    if (this.down) throw new CoreBankingUnavailableError('down');
  }
  async findCustomerByPhone(e164: string): Promise<CoreCustomer | null> {
    this.record(`phone:${e164}`);
    return null;
  }
  async findCustomerByAppUser(appUserId: string): Promise<CoreCustomer | null> {
    this.record(`app:${appUserId}`);
    return null;
  }
  async findCustomerByEmail(email: string): Promise<CoreCustomer | null> {
    this.record(`email:${email}`);
    return null;
  }
  async getCustomer(id: string): Promise<CoreCustomer | null> {
    this.record(`customer:${id}`);
    return null;
  }
  async getCards(id: string): Promise<CoreCard[]> {
    this.record(`cards:${id}`);
    return this.cards.map((c) => ({ ...c }));
  }
  async getTransactions(id: string, limit: number): Promise<CoreTransaction[]> {
    this.record(`tx:${id}:${limit}`);
    return [];
  }
  async blockCard(id: string, cardId: string, by: CardActor): Promise<CoreCard> {
    this.record(`block:${id}:${cardId}`);
    const card = this.cards.find((c) => c.id === cardId)!;
    Object.assign(card, { status: 'blocked', blockedBy: 'bank', blockReason: by.reason });
    return { ...card };
  }
  async unblockCard(id: string, cardId: string): Promise<CoreCard> {
    this.record(`unblock:${id}:${cardId}`);
    const card = this.cards.find((c) => c.id === cardId)!;
    Object.assign(card, { status: 'active', blockedBy: null, blockReason: null });
    return { ...card };
  }
  invalidated: string[] = [];
  override invalidate(id: string): void {
    this.invalidated.push(id);
  }
}

describe('CachedCoreBankingClient', () => {
  let clock: number;
  let inner: CountingCoreBanking;
  let cache: CachedCoreBankingClient;
  beforeEach(() => {
    clock = 1_000;
    inner = new CountingCoreBanking();
    cache = new CachedCoreBankingClient(inner, 100, 3, () => clock);
  });

  it('serves context reads from the cache until the TTL passes', async () => {
    expect(await cache.getCards('x')).toHaveLength(1);
    clock += 99;
    await cache.getCards('x');
    expect(inner.calls).toEqual(['cards:x']);
    clock += 1;
    await cache.getCards('x');
    expect(inner.calls).toEqual(['cards:x', 'cards:x']);
  });

  it('shares one call between concurrent misses', async () => {
    await Promise.all([
      cache.getTransactions('x', 10),
      cache.getTransactions('x', 10),
      cache.getTransactions('x', 5),
    ]);
    expect(inner.calls).toEqual(['tx:x:10', 'tx:x:5']);
  });

  it('never caches a failure', async () => {
    inner.down = true;
    await expect(cache.getCards('x')).rejects.toMatchObject({ code: 'CORE_BANKING.UNAVAILABLE' });
    inner.down = false;
    await expect(cache.getCards('x')).resolves.toHaveLength(1);
    expect(inner.calls).toEqual(['cards:x', 'cards:x']);
  });

  it('always asks the bank for identity lookups', async () => {
    await cache.findCustomerByPhone('+393471234567');
    await cache.findCustomerByPhone('+393471234567');
    await cache.findCustomerByAppUser('app-giulia');
    await cache.findCustomerByAppUser('app-giulia');
    await cache.findCustomerByEmail('giulia.rossi@example.it');
    await cache.findCustomerByEmail('giulia.rossi@example.it');
    expect(inner.calls).toHaveLength(6);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await cache.getCustomer(id);
    await cache.getCustomer('d');
    await cache.getCustomer('a');
    expect(inner.calls).toEqual([
      'customer:a',
      'customer:b',
      'customer:c',
      'customer:d',
      'customer:a',
    ]);
  });

  it("never caches a card action, and drops the customer's entries after it", async () => {
    await cache.getCards('x');
    await cache.getCards('y');
    const blocked = await cache.blockCard('x', 'c1', { actor: 'agent-1', reason: 'lost' });
    expect(blocked.status).toBe('blocked');
    expect((await cache.getCards('x'))[0]?.status).toBe('blocked');
    await cache.getCards('y');
    await cache.unblockCard('x', 'c1', { actor: 'agent-1', reason: 'found' });
    await cache.unblockCard('x', 'c1', { actor: 'agent-1', reason: 'found' });
    expect((await cache.getCards('x'))[0]?.status).toBe('active');
    expect(inner.calls).toEqual([
      'cards:x',
      'cards:y',
      'block:x:c1',
      'cards:x',
      'unblock:x:c1',
      'unblock:x:c1',
      'cards:x',
    ]);
    expect(inner.invalidated).toEqual(['x', 'x', 'x']);
  });

  it("drops the customer's entries even when the card action failed (it may have happened)", async () => {
    await cache.getCards('x');
    inner.down = true;
    await expect(cache.blockCard('x', 'c1', { actor: 'a', reason: 'r' })).rejects.toMatchObject({
      code: 'CORE_BANKING.UNAVAILABLE',
    });
    inner.down = false;
    await cache.getCards('x');
    expect(inner.calls).toEqual(['cards:x', 'block:x:c1', 'cards:x']);
  });

  it("invalidate drops only that customer's customer record, cards and transactions", async () => {
    cache = new CachedCoreBankingClient(inner, 100, 100, () => clock);
    for (const id of ['x', 'x2']) {
      await cache.getCustomer(id);
      await cache.getCards(id);
      await cache.getTransactions(id, 5);
      await cache.getTransactions(id, 20);
    }
    inner.calls = [];
    cache.invalidate('x');
    for (const id of ['x', 'x2']) {
      await cache.getCustomer(id);
      await cache.getCards(id);
      await cache.getTransactions(id, 5);
      await cache.getTransactions(id, 20);
    }
    expect(inner.calls).toEqual(['customer:x', 'cards:x', 'tx:x:5', 'tx:x:20']);
    expect(inner.invalidated).toEqual(['x']);
  });

  it('is a pass-through with a TTL of 0', async () => {
    const off = new CachedCoreBankingClient(inner, 0);
    await off.getCards('x');
    await off.getCards('x');
    expect(inner.calls).toEqual(['cards:x', 'cards:x']);
  });
});
