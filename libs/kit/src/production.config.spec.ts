import { isLoopbackHost, productionProblems } from './production.config';

const NATS = { NATS_USER: 'router', NATS_PASS: 'nats-password' };
const keysOf = (env: Record<string, unknown>, rules = {}) =>
  productionProblems({ NODE_ENV: 'production', ...env }, rules).map((p) => p.key);

describe('productionProblems', () => {
  it('finds nothing outside production: the development defaults stay', () => {
    const dev = { CORE_BANKING_API_KEY: 'sandbox-core-key', CORE_BANKING_URL: 'http://127.0.0.1' };
    expect(productionProblems(dev, { database: true, providerUrls: ['CORE_BANKING_URL'] })).toEqual(
      [],
    );
    expect(productionProblems({ ...dev, NODE_ENV: 'test' }, { database: true })).toEqual([]);
  });

  it('refuses any value that is one of the sandbox stand-ins', () => {
    expect(keysOf({ ...NATS, CORE_BANKING_API_KEY: 'sandbox-core-key' })).toEqual([
      'CORE_BANKING_API_KEY',
    ]);
    expect(keysOf({ ...NATS, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` })).toEqual([
      'TWILIO_ACCOUNT_SID',
    ]);
    expect(keysOf({ ...NATS, EMAIL_DOMAINS: ['bank.example', 'sandbox.local'] })).toEqual([
      'EMAIL_DOMAINS',
    ]);
    expect(keysOf({ ...NATS, TWILIO_ACCOUNT_SID: `AC${'0a'.repeat(16)}` })).toEqual([]);
  });

  it('refuses provider URLs and hosts on loopback, where the sandbox listens', () => {
    const rules = { providerUrls: ['CORE_BANKING_URL'], providerHosts: ['EMAIL_OUT_HOST'] };
    for (const url of ['http://127.0.0.1:3100/core/v1', 'http://localhost/x', 'http://[::1]:1']) {
      expect(keysOf({ ...NATS, CORE_BANKING_URL: url }, rules)).toEqual(['CORE_BANKING_URL']);
    }
    expect(keysOf({ ...NATS, EMAIL_OUT_HOST: '127.0.0.1' }, rules)).toEqual(['EMAIL_OUT_HOST']);
    const real = { CORE_BANKING_URL: 'https://core.bank.internal/v1', EMAIL_OUT_HOST: 'smtp.bank' };
    expect(keysOf({ ...NATS, ...real }, rules)).toEqual([]);
  });

  it('requires DATABASE_URL of an app with tables', () => {
    expect(keysOf(NATS, { database: true })).toEqual(['DATABASE_URL']);
    expect(keysOf({ ...NATS, DATABASE_URL: 'postgres://db/omnigate' }, { database: true })).toEqual(
      [],
    );
    expect(keysOf(NATS)).toEqual([]);
  });

  it('requires NATS credentials: user and password, a token, or a client certificate', () => {
    expect(keysOf({})).toEqual(['NATS_USER']);
    expect(keysOf({ NATS_USER: 'router' })).toEqual(['NATS_PASS']);
    expect(keysOf(NATS)).toEqual([]);
    expect(keysOf({ NATS_TOKEN: 't' })).toEqual([]);
    expect(keysOf({ NATS_TLS_CERT: '/tls/c.pem', NATS_TLS_KEY: '/tls/k.pem' })).toEqual([]);
  });

  it('lists required and forbidden keys with their reason', () => {
    const problems = productionProblems(
      { NODE_ENV: 'production', ...NATS, EMAIL_DNS_STATIC: {} },
      {
        required: { SMS_PUBLIC_URL: 'signed by Twilio' },
        forbidden: { EMAIL_DNS_STATIC: 'tests' },
      },
    );
    expect(problems).toEqual([
      {
        key: 'SMS_PUBLIC_URL',
        message: 'required with NODE_ENV=production (signed by Twilio)',
      },
      {
        key: 'EMAIL_DNS_STATIC',
        message: 'must not be set with NODE_ENV=production (tests)',
      },
    ]);
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(isLoopbackHost(h)).toBe(true);
    }
    for (const h of ['api.twilio.com', '10.0.0.1', '128.0.0.1', 'localhost.bank.example']) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });
});
