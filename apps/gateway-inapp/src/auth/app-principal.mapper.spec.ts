import { inboundAuthOf, principalFromClaims } from './app-principal.mapper';
import { InappTokenInvalidError } from './inapp-auth.errors';

const exp = 1_900_000_000;

describe('principalFromClaims', () => {
  it('takes sub, exp and the login time from auth_time', () => {
    const p = principalFromClaims({
      sub: 'user-1',
      exp,
      iat: 1_800_000_100,
      auth_time: 1_800_000_000,
    });
    expect(p).toEqual({
      sub: 'user-1',
      level: 'app_session',
      authenticatedAt: new Date(1_800_000_000_000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
      expiresAtMs: exp * 1000,
    });
  });

  it('falls back to iat, and omits the login time when neither is there', () => {
    expect(principalFromClaims({ sub: 'u', exp, iat: 1_800_000_100 }).authenticatedAt).toBe(
      new Date(1_800_000_100_000).toISOString(),
    );
    expect(principalFromClaims({ sub: 'u', exp }).authenticatedAt).toBeUndefined();
  });

  it('is strong when amr says face', () => {
    expect(principalFromClaims({ sub: 'u', exp, amr: ['face'] }).level).toBe('strong');
  });

  it.each([
    [{ exp }],
    [{ sub: '', exp }],
    [{ sub: 'x'.repeat(129), exp }],
    [{ sub: 7, exp }],
    [{ sub: 'a\nb', exp }],
    [{ sub: 'u' }],
  ])('refuses unusable claims %j with INAPP.TOKEN_INVALID', (claims) => {
    expect(() => principalFromClaims(claims)).toThrow(InappTokenInvalidError);
  });
});

describe('inboundAuthOf', () => {
  it('describes an app_jwt sender', () => {
    const p = principalFromClaims({ sub: 'u', exp, iat: 1_800_000_000, acr: 'mfa' });
    expect(inboundAuthOf(p)).toEqual({
      method: 'app_jwt',
      level: 'strong',
      subject: 'u',
      authenticatedAt: new Date(1_800_000_000_000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
    });
  });
});
