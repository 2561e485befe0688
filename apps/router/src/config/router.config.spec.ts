import { ConfigError, parseConfig } from '@omnigate/kit';
import { RouterEnv } from './router.config';

describe('RouterEnv', () => {
  it('runs with defaults on one machine', () => {
    const c = parseConfig(RouterEnv, {});
    expect(c).toMatchObject({
      ROUTER_PORT: 3003,
      CORE_BANKING_URL: 'http://127.0.0.1:3100/core/v1',
      CORE_BANKING_API_KEY: 'sandbox-core-key',
      CORE_BANKING_TIMEOUT_MS: 800,
      CONTEXT_CACHE_TTL_MS: 30_000,
      ROUTER_CONCURRENCY: 8,
      ROUTER_INBOUND_MAX_DELIVER: 5,
      ROUTER_INBOUND_BACKOFF_MS: [500, 2000, 5000, 15_000],
      ROUTER_ACK_WAIT_MS: 30_000,
      CORE_BANKING_BREAKER_FAILURES: 5,
      CORE_BANKING_BREAKER_COOLDOWN_MS: 10_000,
    });
    expect(c.PAN_TOKEN_KEY).toBeUndefined();
    // No secret, no core events accepted (the intake answers 401 not_configured).
    expect(c.CORE_BANKING_EVENTS_SECRET).toBeUndefined();
  });

  it('parses numbers and delay lists from strings', () => {
    const c = parseConfig(RouterEnv, {
      ROUTER_PORT: '0',
      ROUTER_INBOUND_BACKOFF_MS: '100,200',
      CONTEXT_CACHE_TTL_MS: '0',
    });
    expect(c).toMatchObject({
      ROUTER_PORT: 0,
      ROUTER_INBOUND_BACKOFF_MS: [100, 200],
      CONTEXT_CACHE_TTL_MS: 0,
    });
  });

  it('lists every bad key at once', () => {
    let err: unknown;
    try {
      parseConfig(RouterEnv, {
        CORE_BANKING_URL: 'not a url',
        ROUTER_CONCURRENCY: '0',
        ROUTER_INBOUND_BACKOFF_MS: '1,,2',
        PAN_TOKEN_KEY: 'short',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const keys = (err as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual([
      'CORE_BANKING_URL',
      'PAN_TOKEN_KEY',
      'ROUTER_CONCURRENCY',
      'ROUTER_INBOUND_BACKOFF_MS',
    ]);
  });
});

describe('RouterEnv with NODE_ENV=production', () => {
  const keysOf = (env: NodeJS.ProcessEnv) => {
    try {
      parseConfig(RouterEnv, { NODE_ENV: 'production', ...env });
      return [];
    } catch (e) {
      return (e as ConfigError).problems.map((p) => p.split(':')[0]);
    }
  };
  const production = {
    DATABASE_URL: 'postgres://router@db/omnigate',
    NATS_USER: 'router',
    NATS_PASS: 'nats-password',
    CORE_BANKING_URL: 'https://core.bank.internal/v1',
    CORE_BANKING_API_KEY: 'k'.repeat(32),
  };

  it('refuses the npm start defaults, listing every key: sandbox core banking, no database, no NATS user', () => {
    expect(keysOf({}).sort()).toEqual([
      'CORE_BANKING_API_KEY',
      'CORE_BANKING_URL',
      'DATABASE_URL',
      'NATS_USER',
    ]);
  });

  it('refuses the sandbox key even beside a real URL, and a core banking on loopback', () => {
    expect(keysOf({ ...production, CORE_BANKING_API_KEY: 'sandbox-core-key' })).toEqual([
      'CORE_BANKING_API_KEY',
    ]);
    expect(keysOf({ ...production, CORE_BANKING_URL: 'http://localhost:3100/core/v1' })).toEqual([
      'CORE_BANKING_URL',
    ]);
  });

  it('starts with real values', () => {
    expect(keysOf(production)).toEqual([]);
  });
});
