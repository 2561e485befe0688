import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewaySmsEnv } from './gateway-sms.config';

const base = {
  VAULT_PUBLIC_KEY: 'vault-1:' + 'A'.repeat(43),
  TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32),
  TWILIO_AUTH_TOKEN: 't'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(GatewaySmsEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('GatewaySmsEnv', () => {
  it('applies the defaults and derives the public URL from host and port', () => {
    const c = parseConfig(GatewaySmsEnv, { ...base, TWILIO_FROM_NUMBER: '+390212345678' });
    expect(c).toMatchObject({
      SMS_GATEWAY_PORT: 3001,
      SMS_DEFAULT_REGION: 'IT',
      SMS_PUBLIC_URL: 'http://127.0.0.1:3001',
      SMS_SEND_BACKOFF_MS: [1000, 5000, 15000, 30000, 60000],
    });
    expect(c.TWILIO_API_BASE).toBeUndefined();
  });

  it('keeps an explicit public URL without its trailing slash and reads the region in any case', () => {
    const c = parseConfig(GatewaySmsEnv, {
      ...base,
      TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'a'.repeat(32),
      SMS_PUBLIC_URL: 'https://sms.example.com/',
      SMS_DEFAULT_REGION: 'de',
    });
    expect(c.SMS_PUBLIC_URL).toBe('https://sms.example.com');
    expect(c.SMS_DEFAULT_REGION).toBe('DE');
  });

  it('wants exactly one sender', () => {
    expect(problemsOf(base)).toEqual([
      expect.stringMatching(/^TWILIO_FROM_NUMBER: set exactly one .*neither is set/),
    ]);
    expect(
      problemsOf({
        ...base,
        TWILIO_FROM_NUMBER: '+390212345678',
        TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'a'.repeat(32),
      }),
    ).toEqual([expect.stringMatching(/both are set/)]);
  });

  it('knows no database, data key or card-token key: they are not its to hold', () => {
    const c = parseConfig(GatewaySmsEnv, {
      ...base,
      TWILIO_FROM_NUMBER: '+390212345678',
      DATABASE_URL: 'postgres://x@y/z',
      DATA_KEKS: 'k1:' + 'a'.repeat(44),
      PAN_TOKEN_KEY: 'k'.repeat(32),
    });
    for (const key of [
      'DATABASE_URL',
      'DATA_DIR',
      'DATA_KEKS',
      'DATA_INDEX_KEY',
      'PAN_TOKEN_KEY',
    ]) {
      expect(c).not.toHaveProperty(key);
    }
  });

  it('wants the vault public key, not a private one', () => {
    expect(
      problemsOf({ ...base, TWILIO_FROM_NUMBER: '+390212345678', VAULT_PUBLIC_KEY: '' }),
    ).toEqual(['VAULT_PUBLIC_KEY: VAULT_PUBLIC_KEY is empty']);
  });

  it('lists every bad key at once', () => {
    expect(
      problemsOf({
        TWILIO_ACCOUNT_SID: 'XX1',
        SMS_DEFAULT_REGION: 'ZZ',
        SMS_PUBLIC_URL: 'ftp://x',
        SMS_SEND_BACKOFF_MS: 'soon',
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VAULT_PUBLIC_KEY:/),
        expect.stringMatching(/^TWILIO_ACCOUNT_SID: must be AC/),
        expect.stringMatching(/^TWILIO_AUTH_TOKEN:/),
        expect.stringMatching(/^SMS_DEFAULT_REGION: must be a supported/),
        expect.stringMatching(/^SMS_PUBLIC_URL: must be an http/),
        expect.stringMatching(/^SMS_SEND_BACKOFF_MS: must be comma-separated/),
      ]),
    );
  });
});

describe('GatewaySmsEnv with NODE_ENV=production', () => {
  const real = {
    ...base,
    NODE_ENV: 'production',
    TWILIO_ACCOUNT_SID: 'AC' + '1f'.repeat(16),
    TWILIO_FROM_NUMBER: '+390212345678',
    SMS_PUBLIC_URL: 'https://sms.bank.example',
    NATS_USER: 'gateway-sms',
    NATS_PASS: 'nats-password',
  };
  const keysOf = (env: Record<string, string>) => problemsOf(env).map((p) => p.split(':')[0]);

  it('refuses the sandbox account, the sandbox API, a missing public URL and NATS without a user', () => {
    const { SMS_PUBLIC_URL: _url, NATS_USER: _user, ...rest } = real;
    expect(
      keysOf({
        ...rest,
        TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32),
        TWILIO_API_BASE: 'http://127.0.0.1:3100',
      }).sort(),
    ).toEqual(['NATS_USER', 'SMS_PUBLIC_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_API_BASE']);
  });

  it('starts with real values; a gateway needs no DATABASE_URL', () => {
    expect(problemsOf(real)).toEqual([]);
  });
});
