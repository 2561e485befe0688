import { SignJWT } from 'jose';
import { parseConfig } from '@omnigate/kit';
import { GatewayInappEnv } from '../config/gateway-inapp.config';
import { AppTokenService } from './app-token.service';

const SECRET = 'an-hs256-secret-of-at-least-32-chars!';
const now = () => Math.floor(Date.now() / 1000);

function service(extra: Record<string, string> = {}): AppTokenService {
  return new AppTokenService(
    parseConfig(GatewayInappEnv, {
      VAULT_PUBLIC_KEY: `vault-1:${'A'.repeat(43)}`,
      INAPP_JWT_SECRET: SECRET,
      ...extra,
    }),
  );
}

function token(
  claims: Record<string, unknown>,
  opts: { secret?: string; alg?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'ACCEPTED';
}

describe('AppTokenService (HS256)', () => {
  it('accepts a valid token and reads the principal', async () => {
    const p = await service().verify(
      await token({ sub: 'u-1', exp: now() + 60, iat: now(), auth_time: now(), amr: ['face'] }),
    );
    expect(p).toMatchObject({ sub: 'u-1', level: 'strong' });
  });

  it('tells missing, invalid and expired tokens apart', async () => {
    const s = service();
    expect(await codeOf(s.verify(undefined))).toBe('INAPP.UNAUTHORIZED');
    expect(await codeOf(s.verify(''))).toBe('INAPP.UNAUTHORIZED');
    expect(await codeOf(s.verify(42))).toBe('INAPP.TOKEN_INVALID');
    expect(await codeOf(s.verify('not.a.jwt'))).toBe('INAPP.TOKEN_INVALID');
    expect(
      await codeOf(
        s.verify(
          await token(
            { sub: 'u', exp: now() + 60 },
            { secret: 'another-secret-of-at-least-32-chars!!' },
          ),
        ),
      ),
    ).toBe('INAPP.TOKEN_INVALID');
    expect(await codeOf(s.verify(await token({ sub: 'u', exp: now() - 10 })))).toBe(
      'INAPP.TOKEN_EXPIRED',
    );
  });

  it('requires exp and sub, and refuses other algorithms', async () => {
    const s = service();
    expect(await codeOf(s.verify(await token({ sub: 'u' })))).toBe('INAPP.TOKEN_INVALID');
    expect(await codeOf(s.verify(await token({ exp: now() + 60 })))).toBe('INAPP.TOKEN_INVALID');
    expect(
      await codeOf(s.verify(await token({ sub: 'u', exp: now() + 60 }, { alg: 'HS512' }))),
    ).toBe('INAPP.TOKEN_INVALID');
  });

  it('checks issuer and audience when configured', async () => {
    const s = service({ INAPP_JWT_ISSUER: 'https://idp.bank', INAPP_JWT_AUDIENCE: 'bank-app' });
    const good = { sub: 'u', exp: now() + 60, iss: 'https://idp.bank', aud: 'bank-app' };
    expect(await codeOf(s.verify(await token(good)))).toBe('ACCEPTED');
    expect(await codeOf(s.verify(await token({ ...good, iss: 'https://evil' })))).toBe(
      'INAPP.TOKEN_INVALID',
    );
    expect(await codeOf(s.verify(await token({ ...good, aud: 'other' })))).toBe(
      'INAPP.TOKEN_INVALID',
    );
  });

  it('ATTACK: under production config, a token with a wrong or missing iss or aud is refused', async () => {
    const s = service({
      NODE_ENV: 'production',
      // Production also refuses NATS without credentials (libs/kit production rules).
      NATS_USER: 'gateway-inapp',
      NATS_PASS: 'a-nats-password',
      INAPP_JWT_ISSUER: 'https://idp.bank',
      INAPP_JWT_AUDIENCE: 'bank-app',
    });
    const good = { sub: 'u', exp: now() + 60, iss: 'https://idp.bank', aud: 'bank-app' };
    expect(await codeOf(s.verify(await token(good)))).toBe('ACCEPTED');
    const { iss: _iss, ...noIss } = good;
    const { aud: _aud, ...noAud } = good;
    for (const claims of [
      noIss,
      noAud,
      { ...good, iss: 'https://idp.other-bank' },
      { ...good, aud: 'another-app' },
      { ...good, aud: ['another-app'] },
    ]) {
      expect(await codeOf(s.verify(await token(claims)))).toBe('INAPP.TOKEN_INVALID');
    }
  });
});
