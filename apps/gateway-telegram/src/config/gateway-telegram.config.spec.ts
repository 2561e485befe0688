import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewayTelegramEnv } from './gateway-telegram.config';

const base = {
  VAULT_PUBLIC_KEY: 'vault-1:' + 'A'.repeat(43),
  TELEGRAM_BOT_TOKEN: '123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(GatewayTelegramEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('GatewayTelegramEnv', () => {
  it('defaults to webhook mode on port 3004 with the public URL from host and port', () => {
    const c = parseConfig(GatewayTelegramEnv, { ...base, TELEGRAM_WEBHOOK_SECRET: 's'.repeat(32) });
    expect(c).toMatchObject({
      TELEGRAM_GATEWAY_PORT: 3004,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_PUBLIC_URL: 'http://127.0.0.1:3004',
      TELEGRAM_ASK_CONTACT: true,
      TELEGRAM_SEND_BACKOFF_MS: [1000, 5000, 15000, 30000, 60000],
    });
  });

  it('requires the webhook secret in webhook mode only', () => {
    expect(problemsOf(base)).toEqual([
      'TELEGRAM_WEBHOOK_SECRET: required in webhook mode (TELEGRAM_MODE=webhook)',
    ]);
    expect(problemsOf({ ...base, TELEGRAM_MODE: 'polling' })).toEqual([]);
  });

  it('lists every bad key without echoing secrets', () => {
    const problems = problemsOf({
      VAULT_PUBLIC_KEY: 'vault-1:secretvalue',
      TELEGRAM_BOT_TOKEN: 'not-a-token-secretvalue',
      TELEGRAM_WEBHOOK_SECRET: 'bad secret!',
      TELEGRAM_MODE: 'push',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_MODE',
      'TELEGRAM_WEBHOOK_SECRET',
      'VAULT_PUBLIC_KEY',
    ]);
    expect(problems.join('\n')).not.toContain('secretvalue');
  });
});

describe('GatewayTelegramEnv with NODE_ENV=production', () => {
  const real = {
    ...base,
    NODE_ENV: 'production',
    TELEGRAM_WEBHOOK_SECRET: 's'.repeat(32),
    TELEGRAM_PUBLIC_URL: 'https://tg.bank.example',
    NATS_USER: 'gateway-telegram',
    NATS_PASS: 'nats-password',
  };
  const keysOf = (env: Record<string, string>) => problemsOf(env).map((p) => p.split(':')[0]);

  it('refuses the sandbox Bot API and token, and a webhook without its public URL', () => {
    const { TELEGRAM_PUBLIC_URL: _url, ...rest } = real;
    expect(
      keysOf({
        ...rest,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:3100',
        TELEGRAM_BOT_TOKEN: '123456789:sandbox-telegram-bot-token-000000000',
      }).sort(),
    ).toEqual(['TELEGRAM_API_ROOT', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_PUBLIC_URL']);
  });

  it('starts with real values; polling needs no public URL', () => {
    expect(problemsOf(real)).toEqual([]);
    const { TELEGRAM_PUBLIC_URL: _url, ...polling } = real;
    expect(problemsOf({ ...polling, TELEGRAM_MODE: 'polling' })).toEqual([]);
  });
});
