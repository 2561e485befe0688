import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewayEmailEnv, ourDomainOf } from './gateway-email.config';

const base = {
  PAN_TOKEN_KEY: 'k'.repeat(16),
  EMAIL_DOMAINS: 'Bank.Example, mail.bank.example',
  EMAIL_FROM: 'support@bank.example',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(GatewayEmailEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('GatewayEmailEnv', () => {
  it('applies the defaults: SMTP inbound, TLS required outbound, 10 MB attachments', () => {
    const c = parseConfig(GatewayEmailEnv, base);
    expect(c).toMatchObject({
      EMAIL_GATEWAY_PORT: 3006,
      EMAIL_INBOUND: 'smtp',
      EMAIL_DOMAINS: ['bank.example', 'mail.bank.example'],
      EMAIL_OUT_SECURE: false,
      EMAIL_OUT_REQUIRE_TLS: true,
      EMAIL_ATTACHMENT_MAX_BYTES: 10 * 1024 * 1024,
    });
    expect(c.EMAIL_ATTACHMENT_TYPES).toContain('application/pdf');
    expect(ourDomainOf(c)).toBe('bank.example');
  });

  it('requires the mailbox credentials only with IMAP inbound', () => {
    expect(problemsOf({ ...base, EMAIL_INBOUND: 'imap' })).toEqual([
      'EMAIL_IMAP_HOST: required with EMAIL_INBOUND=imap',
      'EMAIL_IMAP_USER: required with EMAIL_INBOUND=imap',
      'EMAIL_IMAP_PASS: required with EMAIL_INBOUND=imap',
    ]);
  });

  it('lists every bad key at once, without echoing values', () => {
    const problems = problemsOf({
      PAN_TOKEN_KEY: 'short',
      EMAIL_DOMAINS: base.EMAIL_DOMAINS,
      EMAIL_FROM: 'not-an-address',
      EMAIL_DNS_STATIC: '{not json',
    });
    expect(problems).toEqual([
      'PAN_TOKEN_KEY: must be at least 16 characters',
      'EMAIL_FROM: must be an email address, e.g. support@bank.example',
      'EMAIL_DNS_STATIC: must be JSON: {"name": ["TXT record", ...]}',
    ]);
  });

  it('reads static DNS as a map of TXT records', () => {
    const c = parseConfig(GatewayEmailEnv, {
      ...base,
      EMAIL_DNS_STATIC: '{"example.it":["v=spf1 -all"]}',
    });
    expect(c.EMAIL_DNS_STATIC).toEqual({ 'example.it': ['v=spf1 -all'] });
  });
});
