import { HpkeOpener, HpkeSealer, generateHpkeKeyPair, sealedCardAad } from '@omnigate/crypto';
import { DbHandle, VaultCardsRepository, vaultCards, vaultRefs } from '@omnigate/store';
import { containsPan, dumpDatabase, metricValue, pollUntil } from '@omnigate/testing';
import { cardKnown, deadLetterOf, startVaultSystem } from './vault-test-system';
import type { VaultSystem } from './vault-test-system';

const PAN = '4111 1111 1111 1111';
const OTHER = '5555 5555 5555 4444';

describe('vault: sealed cards in, one token per card', () => {
  let sys: VaultSystem;
  const repo = () => sys.peer.get(VaultCardsRepository);
  const rows = async () => {
    const db = sys.peer.get(DbHandle).db;
    return { cards: await db.select().from(vaultCards), refs: await db.select().from(vaultRefs) };
  };
  const refused = (reason: string) =>
    metricValue(sys.vault, 'omnigate_vault_sealed_cards_refused_total', { reason });

  beforeAll(async () => {
    sys = await startVaultSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('gives the same card sealed twice two unrelated references and ONE token', async () => {
    const first = await sys.seal(`la mia carta ${PAN}`);
    const second = await sys.seal(`di nuovo: ${PAN.replace(/ /g, '-')}`);
    const [a, b] = [first.sealed[0]!, second.sealed[0]!];
    expect(first.text).toBe(`la mia carta [card visa ****1111 ${a.ref}]`);
    expect(a.ref).not.toBe(b.ref);
    expect(a.box.ct).not.toBe(b.box.ct);
    await sys.publish(a, 'sms');
    await sys.publish(b, 'whatsapp');
    const [ofA, ofB] = [await cardKnown(sys, a.ref), await cardKnown(sys, b.ref)];
    expect(ofA).toEqual({
      token: expect.stringMatching(/^vtk_[a-p]{32}$/) as string,
      brand: 'visa',
      last4: '1111',
    });
    expect(ofB).toEqual(ofA);
    const other = (await sys.seal(OTHER)).sealed[0]!;
    await sys.publish(other, 'sms');
    expect((await cardKnown(sys, other.ref)).token).not.toBe(ofA.token);
    const { cards, refs } = await rows();
    expect(cards.filter((c) => c.token === ofA.token)).toHaveLength(1);
    expect(
      refs
        .filter((r) => r.token === ofA.token)
        .map((r) => [r.ref, r.channel])
        .sort(),
    ).toEqual(
      [
        [a.ref, 'sms'],
        [b.ref, 'whatsapp'],
      ].sort(),
    );
    // The number is stored only sealed: nothing in any table shows it.
    const dump = await dumpDatabase(sys.db.config);
    expect(dump).toContain('vault_cards');
    expect(containsPan(dump, PAN)).toBe(false);
    expect(containsPan(dump, OTHER)).toBe(false);
  });

  it('cannot be opened with what a gateway holds; the vault opens it', async () => {
    const { text, sealed } = await sys.seal(`carta ${PAN}`);
    const card = sealed[0]!;
    expect(text).not.toMatch(/\d{4}.*\d{4}.*\d{4}/);
    // A gateway holds the vault's public key only: used as an opener it opens nothing.
    const asGateway = HpkeOpener.fromConfig(sys.keys.publicKey);
    await expect(asGateway.openText(card.box, sealedCardAad(card.ref))).rejects.toMatchObject({
      code: 'CRYPTO.HPKE_OPEN_FAILED',
    });
    // Nor does a private key of its own under the same key id.
    const own = await generateHpkeKeyPair('v1');
    await expect(
      HpkeOpener.fromConfig(own.privateKey).openText(card.box, sealedCardAad(card.ref)),
    ).rejects.toMatchObject({ code: 'CRYPTO.HPKE_OPEN_FAILED' });
    await sys.publish(card, 'sms');
    await cardKnown(sys, card.ref);
    expect(
      await sys.reveal({ ref: card.ref, actor: 'sam', role: 'supervisor', reason: 'chargeback' }),
    ).toEqual({ pan: '4111111111111111', brand: 'visa', last4: '1111' });
  });

  it('keeps the card, not a 19-digit "card", when a CVV follows the number: last 4 right, the CVV nowhere (issue 13 item 3)', async () => {
    for (const typed of [
      '4111 1111 1111 1111 123',
      '4111111111111111123',
      '4111.1111.1111.1111 cvv 123 exp 12/27',
    ]) {
      const { text, sealed } = await sys.seal(typed);
      expect(sealed.map((c) => c.last4)).toEqual(['1111']);
      expect(text).toContain('[security code removed]');
      expect(text).not.toMatch(/123|12\/27/);
      await sys.publish(sealed[0]!, 'sms');
      await cardKnown(sys, sealed[0]!.ref);
      expect(
        await sys.reveal({
          ref: sealed[0]!.ref,
          actor: 'sam',
          role: 'supervisor',
          reason: 'chargeback',
        }),
      ).toEqual({ pan: '4111111111111111', brand: 'visa', last4: '1111' });
    }
    expect((await rows()).cards.map((c) => c.last4)).not.toContain('1123');
    expect(containsPan(await dumpDatabase(sys.db.config), '4111111111111111123')).toBe(false);
  });

  it('changes nothing on a redelivery of the same sealed card', async () => {
    const card = (await sys.seal(PAN)).sealed[0]!;
    await sys.publish(card, 'telegram');
    await cardKnown(sys, card.ref);
    const before = await rows();
    const duplicates = await metricValue(sys.vault, 'omnigate_vault_sealed_cards_total', {
      outcome: 'duplicate',
    });
    // The same card again past JetStream's dedupe (another message id): the vault sees it twice.
    await sys.publish(card, 'telegram', { msgId: `again:${card.ref}` });
    await pollUntil(
      async () =>
        (await metricValue(sys.vault, 'omnigate_vault_sealed_cards_total', {
          outcome: 'duplicate',
        })) ===
        duplicates + 1,
      { what: 'the redelivery to be handled' },
    );
    expect(await rows()).toEqual(before);
    expect((await sys.deadLetters()).some((d) => d.payload.includes(card.ref))).toBe(false);
  });

  it('refuses a card published on the SMS subject that claims channel inapp', async () => {
    const card = (await sys.seal(PAN)).sealed[0]!;
    const before = await refused('VAULT.CHANNEL_MISMATCH');
    await sys.publish(card, 'inapp', { subject: 'card.v1.sealed.sms' });
    const dead = await deadLetterOf(sys, card.ref);
    expect(dead).toMatchObject({
      consumer: 'vault-cards',
      subject: 'card.v1.sealed.sms',
      error: {
        code: 'VAULT.CHANNEL_MISMATCH',
        message: expect.stringContaining('inapp') as string,
      },
    });
    expect(await repo().byRef(card.ref)).toBeNull();
    expect(await refused('VAULT.CHANNEL_MISMATCH')).toBe(before + 1);
  });

  it('dead-letters a tampered box, a box moved to another reference and an unknown key', async () => {
    const [a, b, c] = (await sys.seal(`${PAN} ${OTHER} ${PAN}`)).sealed;
    const flipped = Buffer.from(a!.box.ct, 'base64url');
    flipped[3] = flipped[3]! ^ 1;
    await sys.publish({ ...a!, box: { ...a!.box, ct: flipped.toString('base64url') } }, 'sms');
    // c's box carried under b's reference (the AAD binds a box to its reference).
    await sys.publish({ ...b!, box: c!.box, last4: '1111' }, 'sms');
    const foreign = await generateHpkeKeyPair('v9');
    const box = await HpkeSealer.fromConfig(foreign.publicKey).seal(
      '4111111111111111',
      sealedCardAad(c!.ref),
    );
    await sys.publish({ ...c!, box }, 'sms');
    expect((await deadLetterOf(sys, a!.ref)).error.code).toBe('VAULT.BOX_UNOPENABLE');
    expect((await deadLetterOf(sys, b!.ref)).error.code).toBe('VAULT.BOX_UNOPENABLE');
    expect((await deadLetterOf(sys, c!.ref)).error).toMatchObject({
      code: 'VAULT.UNKNOWN_KEY',
      message: expect.stringContaining('v9') as string,
    });
    for (const r of [a!, b!, c!]) expect(await repo().byRef(r.ref)).toBeNull();
    expect(await refused('VAULT.BOX_UNOPENABLE')).toBeGreaterThanOrEqual(2);
    expect(await refused('VAULT.UNKNOWN_KEY')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a box whose number is not the card its reference announced', async () => {
    const card = (await sys.seal(PAN)).sealed[0]!;
    const seal = (pan: string) =>
      HpkeSealer.fromConfig(sys.keys.publicKey).seal(pan, sealedCardAad(card.ref));
    await sys.publish({ ...card, box: await seal('5555555555554444') }, 'sms');
    expect((await deadLetterOf(sys, card.ref)).error.code).toBe('VAULT.CARD_INVALID');
    expect(await repo().byRef(card.ref)).toBeNull();
  });

  it('never lets a reference be bound again to another card or channel', async () => {
    const card = (await sys.seal(PAN)).sealed[0]!;
    await sys.publish(card, 'sms');
    const known = await cardKnown(sys, card.ref);
    const box = await HpkeSealer.fromConfig(sys.keys.publicKey).seal(
      '4000000000000002',
      sealedCardAad(card.ref),
    );
    await sys.publish({ ...card, last4: '0002', box }, 'telegram', {
      msgId: `rebind:${card.ref}`,
    });
    expect((await deadLetterOf(sys, card.ref)).error.code).toBe('VAULT.REF_CONFLICT');
    expect(await sys.cardOf(card.ref)).toEqual(known);
    expect((await rows()).cards.filter((c) => c.last4 === '0002')).toEqual([]);
  });
});
