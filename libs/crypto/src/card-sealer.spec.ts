import { CardSealer, sealedCardAad } from './card-sealer';
import { HpkeOpener, HpkeSealer, generateHpkeKeyPair } from './hpke/sealed-box';
import { PanRedactor } from './pan-redactor';

describe('CardSealer (the edge)', () => {
  it('replaces each card by a reference and seals the number to the vault under that reference', async () => {
    const keys = await generateHpkeKeyPair('vault-1');
    const sealer = new CardSealer(new PanRedactor(), HpkeSealer.fromConfig(keys.publicKey));
    const r = await sealer.redactAndSeal('carta 4111 1111 1111 1111 e 5555-5555-5555-4444');
    expect(r.text).not.toMatch(/4111|5555/);
    expect(r.sealed.map((s) => [s.brand, s.last4])).toEqual([
      ['visa', '1111'],
      ['mastercard', '4444'],
    ]);
    expect(JSON.stringify(r.sealed)).not.toMatch(/4111111111111111|5555555555554444/);
    const opener = HpkeOpener.fromConfig(keys.privateKey);
    for (const s of r.sealed) expect(r.text).toContain(s.ref);
    expect(await opener.openText(r.sealed[0]!.box, sealedCardAad(r.sealed[0]!.ref))).toBe(
      '4111111111111111',
    );
    // A box moved under another reference does not open.
    await expect(opener.open(r.sealed[1]!.box, sealedCardAad(r.sealed[0]!.ref))).rejects.toThrow();
  });

  it('seals nothing when there is no card', async () => {
    const keys = await generateHpkeKeyPair('vault-1');
    const sealer = new CardSealer(new PanRedactor(), HpkeSealer.fromConfig(keys.publicKey));
    expect(await sealer.redactAndSeal('ciao, ordine 123456789012')).toEqual({
      text: 'ciao, ordine 123456789012',
      redactions: [],
      removed: [],
      sealed: [],
    });
  });
});
