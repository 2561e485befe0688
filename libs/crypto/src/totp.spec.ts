import { base32Decode, base32Encode, newTotpSecret, totpCode, totpStep, totpUri } from './totp';

// RFC 6238 appendix B, SHA-1: the secret is the ASCII "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('gives the RFC 6238 test vector at %i s', (t, code) => {
    expect(totpCode(RFC_SECRET, t * 1000)).toBe(code);
  });

  it('accepts a code one step either side and names its step; refuses others and junk', () => {
    const s = newTotpSecret();
    const t = 1_700_000_000_000;
    const step = Math.floor(t / 30_000);
    expect(totpStep(s, totpCode(s, t), t)).toBe(step);
    expect(totpStep(s, totpCode(s, t - 30_000), t)).toBe(step - 1);
    expect(totpStep(s, totpCode(s, t + 30_000), t)).toBe(step + 1);
    expect(totpStep(s, totpCode(s, t - 90_000), t)).toBeNull();
    expect(totpStep(s, '12345', t)).toBeNull();
    expect(totpStep(s, 'abcdef', t)).toBeNull();
  });

  it('round-trips base32 and makes 160-bit secrets', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('writes the otpauth URI an authenticator app scans', () => {
    expect(totpUri('Omnigate', 'sam', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Omnigate:sam?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Omnigate',
    );
  });
});
