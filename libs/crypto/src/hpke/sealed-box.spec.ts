import { HpkeOpener, HpkeSealer, generateHpkeKeyPair, hpkePublicKeyFor } from './sealed-box';
import { HpkeError } from './hpke.errors';

describe('sealed boxes (HPKE, RFC 9180)', () => {
  it('opens what was sealed to its public key, with the same context', async () => {
    const { publicKey, privateKey } = await generateHpkeKeyPair('v1');
    const box = await HpkeSealer.fromConfig(publicKey).seal('4111111111111111', 'ref_abc');
    expect(box.kid).toBe('v1');
    expect(box.ct).not.toContain('4111');
    expect(await HpkeOpener.fromConfig(privateKey).openText(box, 'ref_abc')).toBe(
      '4111111111111111',
    );
  });

  it('gives a different box each time for the same plaintext', async () => {
    const { publicKey } = await generateHpkeKeyPair('v1');
    const sealer = HpkeSealer.fromConfig(publicKey);
    const [a, b] = [await sealer.seal('x', 'ctx'), await sealer.seal('x', 'ctx')];
    expect(a.enc).not.toBe(b.enc);
    expect(a.ct).not.toBe(b.ct);
  });

  it('refuses a box moved to another context, tampered with, or sealed to an unknown key', async () => {
    const { publicKey, privateKey } = await generateHpkeKeyPair('v1');
    const other = await generateHpkeKeyPair('v9');
    const opener = HpkeOpener.fromConfig(privateKey);
    const box = await HpkeSealer.fromConfig(publicKey).seal('secret', 'ref_a');
    await expect(opener.open(box, 'ref_b')).rejects.toMatchObject({
      code: 'CRYPTO.HPKE_OPEN_FAILED',
    });
    const flipped = Buffer.from(box.ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await expect(
      opener.open({ ...box, ct: flipped.toString('base64url') }, 'ref_a'),
    ).rejects.toBeInstanceOf(HpkeError);
    const foreign = await HpkeSealer.fromConfig(other.publicKey).seal('secret', 'ref_a');
    await expect(opener.open(foreign, 'ref_a')).rejects.toMatchObject({
      code: 'CRYPTO.HPKE_UNKNOWN_KEY',
    });
  });

  it('after a rotation opens boxes sealed to the old key and the new one', async () => {
    const old = await generateHpkeKeyPair('v1');
    const next = await generateHpkeKeyPair('v2');
    const before = await HpkeSealer.fromConfig(old.publicKey).seal('a', 'c');
    const after = await HpkeSealer.fromConfig(next.publicKey).seal('b', 'c');
    const opener = HpkeOpener.fromConfig(`${next.privateKey},${old.privateKey}`);
    expect(opener.currentKid).toBe('v2');
    expect(await opener.openText(before, 'c')).toBe('a');
    expect(await opener.openText(after, 'c')).toBe('b');
  });

  it('refuses a malformed key setting without echoing the key', () => {
    for (const bad of ['', 'nokid', 'v1:short', 'bad kid!:' + 'A'.repeat(43)]) {
      let err: unknown;
      try {
        HpkeSealer.fromConfig(bad, 'VAULT_PUBLIC_KEY');
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'CRYPTO.HPKE_KEY_INVALID' });
      expect((err as Error).message).toContain('VAULT_PUBLIC_KEY');
      if (bad.length > 8) expect((err as Error).message).not.toContain(bad.slice(3));
    }
  });

  it('derives the public key of a private key (the first of a list), with its key id', async () => {
    const current = await generateHpkeKeyPair('v2');
    const old = await generateHpkeKeyPair('v1');
    expect(hpkePublicKeyFor(`${current.privateKey},${old.privateKey}`)).toBe(current.publicKey);
    const box = await HpkeSealer.fromConfig(hpkePublicKeyFor(old.privateKey)).seal('x', 'c');
    expect(await HpkeOpener.fromConfig(old.privateKey).openText(box, 'c')).toBe('x');
  });
});

describe('sealing a Node Buffer', () => {
  it('seals exactly its bytes, not the shared pool it is a view of', async () => {
    const { publicKey, privateKey } = await generateHpkeKeyPair('v1');
    // Small Buffers share one pool: the neighbour's bytes must not end up in the box.
    const neighbour = Buffer.from('4111111111111111');
    const content = Buffer.from('hello');
    expect(content.buffer.byteLength).toBeGreaterThan(content.byteLength);
    const box = await HpkeSealer.fromConfig(publicKey).seal(content, 'ctx');
    const opened = await HpkeOpener.fromConfig(privateKey).open(box, 'ctx');
    expect(Buffer.from(opened).toString()).toBe('hello');
    expect(neighbour.toString()).toBe('4111111111111111');
  });
});
