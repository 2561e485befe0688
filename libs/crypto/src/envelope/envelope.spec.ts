import { randomBytes } from 'node:crypto';
import { blindIndex, isSealed, openField, sealField } from './field-cipher';
import { LocalKms } from './local-kms';

const key = () => randomBytes(32);

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips, and the stored value shows nothing of the plaintext', () => {
    const dk = key();
    const sealed = sealField(dk, 'la mia carta è bloccata', 'messages.body:c1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('carta');
    expect(openField(dk, sealed, 'messages.body:c1')).toBe('la mia carta è bloccata');
  });

  it('uses a fresh IV: the same text twice gives two ciphertexts', () => {
    const dk = key();
    expect(sealField(dk, 'ciao', 'a')).not.toBe(sealField(dk, 'ciao', 'a'));
  });

  it('refuses another key, another field (aad) and a tampered value', () => {
    const dk = key();
    const sealed = sealField(dk, 'ciao', 'messages.body:c1');
    expect(() => openField(key(), sealed, 'messages.body:c1')).toThrow();
    expect(() => openField(dk, sealed, 'messages.body:c2')).toThrow();
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => openField(dk, flipped, 'messages.body:c1')).toThrow();
  });

  it('passes through a value written with encryption off', () => {
    expect(openField(key(), 'plain text', 'x')).toBe('plain text');
  });

  it('blind index: stable per key, different across keys and inputs', () => {
    const k = key();
    expect(blindIndex(k, 'sms', '+393471234567')).toBe(blindIndex(k, 'sms', '+393471234567'));
    expect(blindIndex(k, 'sms', '+393471234567')).not.toBe(blindIndex(k, 'sms', '+393471234568'));
    expect(blindIndex(k, 'sms', '+393471234567')).not.toBe(
      blindIndex(key(), 'sms', '+393471234567'),
    );
    expect(blindIndex(k, 'sms', '+393471234567')).not.toContain('393471234567');
  });
});

describe('LocalKms', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('wraps with the current KEK and unwraps after rotation with the old one kept', async () => {
    const before = new LocalKms([{ id: 'k1', key: k1 }]);
    const dk = key();
    const wrapped = await before.wrap(dk, 'customer:1');
    expect(wrapped.kekId).toBe('k1');
    const rotated = LocalKms.fromConfig(`k2:${k2.toString('base64')},k1:${k1.toString('base64')}`);
    expect(rotated.currentKekId).toBe('k2');
    expect((await rotated.unwrap(wrapped, 'customer:1')).equals(dk)).toBe(true);
    expect((await rotated.wrap(dk, 'customer:1')).kekId).toBe('k2');
  });

  it('refuses an unknown KEK, a wrong context and bad configuration', async () => {
    const kms = new LocalKms([{ id: 'k1', key: k1 }]);
    const wrapped = await kms.wrap(key(), 'customer:1');
    await expect(kms.unwrap({ ...wrapped, kekId: 'k9' }, 'customer:1')).rejects.toThrow(/unknown/);
    await expect(kms.unwrap(wrapped, 'customer:2')).rejects.toThrow(/does not open/);
    expect(() => LocalKms.fromConfig('nokey')).toThrow(/DATA_KEKS/);
    expect(() => LocalKms.fromConfig('k1:' + randomBytes(16).toString('base64'))).toThrow(
      /32 bytes/,
    );
  });
});
