import { BusClient } from '@omnigate/bus';
import { VaultRequests } from '@omnigate/contracts';
import {
  DbHandle,
  VaultAuditRepository,
  VaultCardsRepository,
  vaultCards,
  vaultRefs,
} from '@omnigate/store';
import { containsPan, dumpDatabase, metricValue } from '@omnigate/testing';
import { VaultRetentionService } from '../src/retention/vault-retention.service';
import { cardKnown, startVaultSystem } from './vault-test-system';
import type { VaultSystem } from './vault-test-system';

const GIULIA_PAN = '4111 1111 1111 1111';
const SHARED_PAN = '5555 5555 5555 4444';
const DAY = 86_400_000;

describe("vault: a customer's erasure and the retention purge reach the vault's rows", () => {
  let sys: VaultSystem;
  const eraseCards = (refs: string[]) =>
    sys.peer
      .get(BusClient)
      .request(VaultRequests.eraseCards, { refs, actor: 'dora', reason: 'GDPR art. 17' });

  beforeAll(async () => {
    sys = await startVaultSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('forgets her references and deletes her card; a card someone else also named stays for them', async () => {
    const own = (await sys.seal(`la mia carta ${GIULIA_PAN}`)).sealed[0]!;
    const sharedHers = (await sys.seal(`anche ${SHARED_PAN}`)).sealed[0]!;
    const sharedHis = (await sys.seal(`la carta di mia moglie ${SHARED_PAN}`)).sealed[0]!;
    for (const c of [own, sharedHers, sharedHis]) await sys.publish(c, 'sms');
    for (const c of [own, sharedHers, sharedHis]) await cardKnown(sys, c.ref);

    const done = await eraseCards([own.ref, sharedHers.ref, own.ref]);
    expect(done).toEqual({ refsErased: 2, cardsErased: 1 });
    // ATTACK: her references no longer lead anywhere, not even for a supervisor's reveal.
    for (const ref of [own.ref, sharedHers.ref]) {
      await expect(sys.cardOf(ref)).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
      await expect(
        sys.reveal({ ref, actor: 'sam', role: 'supervisor', reason: 'after the erasure' }),
      ).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
    }
    // The other customer's reference still opens the shared card.
    await expect(sys.cardOf(sharedHis.ref)).resolves.toMatchObject({ last4: '4444' });
    // Her number's sealed box is gone from the vault's tables (no copy to open with a vault key);
    // only the shared card stays, under the other customer's reference alone.
    const db = sys.peer.get(DbHandle).db;
    expect((await db.select().from(vaultCards)).map((c) => c.last4)).toEqual(['4444']);
    expect((await db.select().from(vaultRefs)).map((r) => r.ref)).toEqual([sharedHis.ref]);
    expect(containsPan(await dumpDatabase(sys.db.config), GIULIA_PAN)).toBe(false);
    // Idempotent: asked again (a retried erasure), nothing more goes.
    expect(await eraseCards([own.ref])).toEqual({ refsErased: 0, cardsErased: 0 });
    const [last] = await sys.peer.get(VaultAuditRepository).recent(1);
    expect(last).toMatchObject({ actor: 'dora', action: 'cards.erase' });
    expect(
      await metricValue(sys.vault, 'omnigate_vault_cards_erased_total', { kind: 'cards' }),
    ).toBe(1);
  });

  it('retention forgets references older than VAULT_RETENTION_DAYS and then their cards', async () => {
    const card = (await sys.seal(`vecchia ${GIULIA_PAN}`)).sealed[0]!;
    await sys.publish(card, 'sms');
    await cardKnown(sys, card.ref);
    const retention = sys.vault.app.get(VaultRetentionService);
    // Nothing is that old yet.
    expect((await retention.purgeOnce()).refs).toBe(0);
    await expect(sys.cardOf(card.ref)).resolves.toMatchObject({ last4: '1111' });
    // Eleven years on (the default keeps ten), everything goes.
    const later = new Date(Date.now() + 11 * 365 * DAY);
    const purged = await retention.purgeOnce(later);
    expect(purged.refs).toBeGreaterThanOrEqual(1);
    expect(purged.cards).toBeGreaterThanOrEqual(1);
    await expect(sys.cardOf(card.ref)).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
    expect(await sys.peer.get(VaultCardsRepository).countByKey()).toEqual({});
  });
});
