import { generateHpkeKeyPair } from '@omnigate/crypto';
import { ConfigError, databaseConfigFrom, parseConfig } from '@omnigate/kit';
import { VaultEnv } from './vault.config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(VaultEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('VaultEnv', () => {
  it('takes its keys and ignores the router data keys (the vault never holds them)', async () => {
    const { privateKey } = await generateHpkeKeyPair('v1');
    const c = parseConfig(VaultEnv, {
      VAULT_PRIVATE_KEYS: privateKey,
      VAULT_TOKEN_KEY: 't'.repeat(32),
      DATA_KEKS: 'dev1:' + Buffer.alloc(32).toString('base64'),
      DATA_INDEX_KEY: Buffer.alloc(32).toString('base64'),
    });
    expect(c).toMatchObject({ VAULT_PORT: 3007, VAULT_CONCURRENCY: 4 });
    expect(c).not.toHaveProperty('DATA_KEKS');
    expect(c).not.toHaveProperty('DATA_INDEX_KEY');
    expect(databaseConfigFrom(c)).not.toHaveProperty('protection');
  });

  it('lists every bad key at once and never echoes a key', () => {
    const secret = 'A'.repeat(40);
    const problems = problemsOf({ VAULT_PRIVATE_KEYS: `bad kid!:${secret}`, VAULT_TOKEN_KEY: 'x' });
    expect(problems).toEqual([
      expect.stringMatching(/^VAULT_PRIVATE_KEYS: VAULT_PRIVATE_KEYS must look like/),
      expect.stringMatching(/^VAULT_TOKEN_KEY: must be at least 32/),
    ]);
    expect(problems.join('\n')).not.toContain(secret);
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^VAULT_PRIVATE_KEYS:/),
      expect.stringMatching(/^VAULT_TOKEN_KEY:/),
    ]);
  });
});

describe('VaultEnv with NODE_ENV=production', () => {
  it('requires DATABASE_URL and NATS credentials, and starts with them', async () => {
    const { privateKey } = await generateHpkeKeyPair('v1');
    const keys = { VAULT_PRIVATE_KEYS: privateKey, VAULT_TOKEN_KEY: 't'.repeat(32) };
    expect(problemsOf({ ...keys, NODE_ENV: 'production' }).map((p) => p.split(':')[0])).toEqual([
      'DATABASE_URL',
      'NATS_USER',
    ]);
    const real = {
      DATABASE_URL: 'postgres://vault@db/omnigate',
      NATS_USER: 'vault',
      NATS_PASS: 'p',
    };
    expect(problemsOf({ ...keys, ...real, NODE_ENV: 'production' })).toEqual([]);
  });
});
