import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewayInappEnv, jwtKeySourceOf } from './gateway-inapp.config';

const base = { VAULT_PUBLIC_KEY: `vault-1:${'A'.repeat(43)}` };
const secret = 's'.repeat(32);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(GatewayInappEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('GatewayInappEnv', () => {
  it('applies the defaults with an HS256 secret', () => {
    const c = parseConfig(GatewayInappEnv, { ...base, INAPP_JWT_SECRET: secret });
    expect(c.INAPP_GATEWAY_PORT).toBe(3002);
    expect(c.INAPP_OUR_ADDRESS).toBe('app');
    expect(c.INAPP_TYPING_THROTTLE_MS).toBe(3000);
    expect(jwtKeySourceOf(c)).toEqual({ kind: 'secret', secret });
  });

  it('accepts a JWKS URL instead of a secret', () => {
    const c = parseConfig(GatewayInappEnv, {
      ...base,
      INAPP_JWKS_URL: 'https://idp.example/jwks.json',
      INAPP_JWT_ISSUER: 'idp',
    });
    expect(jwtKeySourceOf(c)).toEqual({ kind: 'jwks', url: 'https://idp.example/jwks.json' });
    expect(c.INAPP_JWT_ISSUER).toBe('idp');
  });

  it('refuses neither or both key sources with a clear message', () => {
    expect(problemsOf(base)).toEqual([
      expect.stringMatching(/INAPP_JWT_SECRET: set exactly one of .*neither is set/),
    ]);
    expect(
      problemsOf({ ...base, INAPP_JWT_SECRET: secret, INAPP_JWKS_URL: 'https://idp.example/jwks' }),
    ).toEqual([expect.stringMatching(/both are set/)]);
  });

  it('lists every bad key: short secret, non-http JWKS, missing vault key, bad port', () => {
    expect(problemsOf({ INAPP_JWT_SECRET: 'short', INAPP_GATEWAY_PORT: 'x' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VAULT_PUBLIC_KEY:/),
        expect.stringMatching(/^INAPP_JWT_SECRET: must be at least 32/),
        expect.stringMatching(/^INAPP_GATEWAY_PORT:/),
      ]),
    );
    expect(problemsOf({ ...base, INAPP_JWKS_URL: 'ftp://idp.example/jwks' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^INAPP_JWKS_URL: must be an http\(s\) URL/)]),
    );
  });

  describe('with NODE_ENV=production', () => {
    const nats = { NATS_USER: 'gateway-inapp', NATS_PASS: 'nats-password' };
    const prod = { ...base, ...nats, NODE_ENV: 'production', INAPP_JWT_SECRET: secret };

    it('ATTACK: refuses to start without issuer and audience, naming both', () => {
      expect(problemsOf(prod)).toEqual([
        'INAPP_JWT_ISSUER: required with NODE_ENV=production (the iss every login token must carry)',
        'INAPP_JWT_AUDIENCE: required with NODE_ENV=production (the aud every login token must carry, this app)',
      ]);
      expect(problemsOf({ ...prod, INAPP_JWT_ISSUER: 'https://idp.bank' })).toEqual([
        expect.stringMatching(/^INAPP_JWT_AUDIENCE: required with NODE_ENV=production/),
      ]);
    });

    it('ATTACK: refuses a JWKS URL over http', () => {
      const jwks = {
        ...base,
        ...nats,
        NODE_ENV: 'production',
        INAPP_JWT_ISSUER: 'https://idp.bank',
        INAPP_JWT_AUDIENCE: 'bank-app',
      };
      expect(problemsOf({ ...jwks, INAPP_JWKS_URL: 'http://idp.bank/jwks.json' })).toEqual([
        expect.stringMatching(/^INAPP_JWKS_URL: must be an https URL with NODE_ENV=production/),
      ]);
      expect(problemsOf({ ...jwks, INAPP_JWKS_URL: 'https://idp.bank/jwks.json' })).toEqual([]);
    });

    it('refuses NATS without credentials and a JWKS on loopback (the sandbox)', () => {
      const { NATS_PASS: _pass, ...userOnly } = prod;
      expect(problemsOf({ ...userOnly, INAPP_JWT_ISSUER: 'i', INAPP_JWT_AUDIENCE: 'a' })).toEqual([
        'NATS_PASS: required with NATS_USER (NODE_ENV=production)',
      ]);
      expect(
        problemsOf({
          ...base,
          NODE_ENV: 'production',
          INAPP_JWKS_URL: 'https://localhost:3100/oidc/jwks',
          INAPP_JWT_ISSUER: 'i',
          INAPP_JWT_AUDIENCE: 'a',
        }),
      ).toEqual([
        expect.stringMatching(/^INAPP_JWKS_URL: points at localhost, the sandbox/),
        expect.stringMatching(/^NATS_USER: required with NODE_ENV=production/),
      ]);
    });

    it('starts with issuer and audience set; development needs neither and may use http', () => {
      expect(
        problemsOf({ ...prod, INAPP_JWT_ISSUER: 'https://idp.bank', INAPP_JWT_AUDIENCE: 'app' }),
      ).toEqual([]);
      expect(problemsOf({ ...base, INAPP_JWKS_URL: 'http://127.0.0.1:9999/jwks.json' })).toEqual(
        [],
      );
      expect(problemsOf({ ...base, NODE_ENV: 'test', INAPP_JWT_SECRET: secret })).toEqual([]);
    });
  });
});
