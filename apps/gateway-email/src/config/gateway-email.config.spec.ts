import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewayEmailEnv, ourDomainOf } from './gateway-email.config';

// Public keys only (`<kid>:<base64url of 32 bytes>`): what an edge may hold.
const base = {
  VAULT_PUBLIC_KEY: `vault-1:${'A'.repeat(43)}`,
  ROUTER_INTAKE_PUBLIC_KEY: `intake-1:${'B'.repeat(43)}`,
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
      VAULT_PUBLIC_KEY: 'vault-1:c2VjcmV0LWJ1dC1zaG9ydA',
      ROUTER_INTAKE_PUBLIC_KEY: base.ROUTER_INTAKE_PUBLIC_KEY,
      EMAIL_DOMAINS: base.EMAIL_DOMAINS,
      EMAIL_FROM: 'not-an-address',
      EMAIL_DNS_STATIC: '{not json',
    });
    expect(problems.join('\n')).not.toContain('c2VjcmV0LWJ1dC1zaG9ydA');
    expect(problems).toEqual([
      'VAULT_PUBLIC_KEY: VAULT_PUBLIC_KEY must look like "<key id>:<base64url of 32 bytes>" (key id: letters, digits, _ or -)',
      'EMAIL_FROM: must be an email address, e.g. support@bank.example',
      'EMAIL_DNS_STATIC: must be JSON: {"name": ["TXT record", ...]}',
    ]);
  });

  it('reads no database or data key: an edge holds neither', () => {
    const c = parseConfig(GatewayEmailEnv, {
      ...base,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/omnigate',
      DATA_KEKS: 'k1:AAAA',
      DATA_INDEX_KEY: 'AAAA',
    });
    expect(Object.keys(c).filter((k) => k.startsWith('DATA'))).toEqual([]);
    expect(problemsOf({ EMAIL_DOMAINS: 'bank.example', EMAIL_FROM: 'a@bank.example' })).toEqual([
      'VAULT_PUBLIC_KEY: Invalid input: expected string, received undefined',
      'ROUTER_INTAKE_PUBLIC_KEY: Invalid input: expected string, received undefined',
    ]);
  });

  it('reads static DNS as a map of TXT records', () => {
    const c = parseConfig(GatewayEmailEnv, {
      ...base,
      EMAIL_DNS_STATIC: '{"example.it":["v=spf1 -all"]}',
    });
    expect(c.EMAIL_DNS_STATIC).toEqual({ 'example.it': ['v=spf1 -all'] });
  });

  it('limits SMTP clients by default and takes PROXY headers from no peer', () => {
    const c = parseConfig(GatewayEmailEnv, base);
    expect(c).toMatchObject({
      EMAIL_SMTP_PROXIES: [],
      EMAIL_SMTP_MAX_CLIENTS: 200,
      EMAIL_SMTP_MAX_CONNECTIONS_PER_IP: 10,
      EMAIL_SMTP_MESSAGES_PER_MINUTE_PER_IP: 60,
    });
    expect(
      parseConfig(GatewayEmailEnv, { ...base, EMAIL_SMTP_PROXIES: '10.0.0.5, fd00::5' })
        .EMAIL_SMTP_PROXIES,
    ).toEqual(['10.0.0.5', 'fd00::5']);
  });

  it('ATTACK: refuses EMAIL_SMTP_USE_PROXY=true (a PROXY header from anyone) and proxies that are not IPs', () => {
    expect(problemsOf({ ...base, EMAIL_SMTP_USE_PROXY: 'true' })).toEqual([
      expect.stringMatching(/^EMAIL_SMTP_USE_PROXY: no longer supported .*EMAIL_SMTP_PROXIES/),
    ]);
    expect(problemsOf({ ...base, EMAIL_SMTP_USE_PROXY: 'false' })).toEqual([]);
    expect(problemsOf({ ...base, EMAIL_SMTP_PROXIES: '10.0.0.0/8,lb.internal' })).toEqual([
      'EMAIL_SMTP_PROXIES: "10.0.0.0/8" is not an IP address',
      'EMAIL_SMTP_PROXIES: "lb.internal" is not an IP address',
    ]);
  });
});

describe('GatewayEmailEnv with NODE_ENV=production', () => {
  const real = {
    ...base,
    NODE_ENV: 'production',
    EMAIL_OUT_HOST: 'smtp.bank.example',
    NATS_USER: 'gateway-email',
    NATS_PASS: 'nats-password',
  };
  const keysOf = (env: Record<string, string>) =>
    problemsOf(env)
      .map((p) => p.split(':')[0])
      .sort();

  it('refuses the sandbox SMTP sink (loopback), static DNS and NATS without a user', () => {
    const { EMAIL_OUT_HOST: _host, NATS_USER: _user, ...rest } = real;
    expect(keysOf({ ...rest, EMAIL_DNS_STATIC: '{}' })).toEqual([
      'EMAIL_DNS_STATIC',
      'EMAIL_OUT_HOST',
      'NATS_USER',
    ]);
  });

  it('starts with a real relay', () => {
    expect(problemsOf(real)).toEqual([]);
  });
});
