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

  it('ATTACK: never dates the login by iat: a fresh iat with an old auth_time is an old login', () => {
    const weekAgo = 1_800_000_000 - 7 * 86_400;
    const p = principalFromClaims({
      sub: 'u',
      exp,
      iat: 1_800_000_000,
      auth_time: weekAgo,
      amr: ['face'],
    });
    expect(p.authenticatedAt).toBe(new Date(weekAgo * 1000).toISOString());
    // Without auth_time there is no login time at all, whatever iat says.
    expect(principalFromClaims({ sub: 'u', exp, iat: 1_800_000_100 }).authenticatedAt).toBe(
      undefined,
    );
    expect(principalFromClaims({ sub: 'u', exp }).authenticatedAt).toBeUndefined();
  });

  it('is strong when amr says face and the token dates the login (auth_time)', () => {
    expect(
      principalFromClaims({ sub: 'u', exp, amr: ['face'], auth_time: 1_800_000_000 }).level,
    ).toBe('strong');
  });

  it('ATTACK: a strong factor without auth_time is only an app session (no fresh strong login)', () => {
    expect(principalFromClaims({ sub: 'u', exp, amr: ['face'], iat: 1_800_000_000 }).level).toBe(
      'app_session',
    );
    expect(principalFromClaims({ sub: 'u', exp, acr: 'mfa' }).level).toBe('app_session');
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
    const p = principalFromClaims({ sub: 'u', exp, auth_time: 1_800_000_000, acr: 'mfa' });
    expect(inboundAuthOf(p)).toEqual({
      method: 'app_jwt',
      level: 'strong',
      subject: 'u',
      authenticatedAt: new Date(1_800_000_000_000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
    });
  });
});
