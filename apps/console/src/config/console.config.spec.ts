import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, databaseConfigFrom, parseConfig } from '@omnigate/kit';
import { ConsoleEnv } from './console.config';

const HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$ZXOGyiKbYzNo5XRFMDEuWA$tUlz7Tn5SKZFsZBDImOSjqal13CkiljrqcMExs4LCWA';

function accountsFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'og-accounts-')), 'accounts.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const SECRET = 'x'.repeat(32);

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfig(ConsoleEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('ConsoleEnv', () => {
  it("opens data with the KEKs alone: the blind-index key is the router's, never needed here", () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:a-long-password',
      CONSOLE_SESSION_SECRET: SECRET,
      DATA_KEKS: 'k1:AAAA',
    });
    expect(databaseConfigFrom(c, { blindIndex: false }).protection).toEqual({ keks: 'k1:AAAA' });
    const withIndex = { ...c, DATA_INDEX_KEY: 'BBBB' };
    expect(databaseConfigFrom(withIndex, { blindIndex: false }).protection).toEqual({
      keks: 'k1:AAAA',
    });
    // The router's reading: both or neither.
    expect(() => databaseConfigFrom(c)).toThrow(/DATA_INDEX_KEY/);
  });

  it('parses agents and applies the defaults', () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:s3cretpw, bob:hunter2hunter2',
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENTS).toEqual([
      { id: 'alice', password: 's3cretpw' },
      { id: 'bob', password: 'hunter2hunter2' },
    ]);
    expect(c.CONSOLE_PORT).toBe(3000);
    expect(c.CONSOLE_SESSION_TTL_MIN).toBe(480);
    expect(c.CONSOLE_RPC_TIMEOUT_MS).toBe(5000);
  });

  it('keeps a colon inside a password', () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:a:b:c:d:e:f',
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENTS).toEqual([{ id: 'alice', password: 'a:b:c:d:e:f' }]);
  });

  it('lists every missing key', () => {
    const p = problems({});
    expect(p.some((l) => l.startsWith('CONSOLE_AGENTS: required'))).toBe(true);
    expect(p.some((l) => l.startsWith('CONSOLE_SESSION_SECRET: required'))).toBe(true);
  });

  it('names the bad agent entry and never echoes a password or the secret', () => {
    const p = problems({
      CONSOLE_AGENTS: 'alice:short7!,nopassword,bob:longenough1,bob:longenough2,bad id:whatever12',
      CONSOLE_SESSION_SECRET: 'tooshort-secret-value',
      CONSOLE_SESSION_TTL_MIN: '0',
    });
    const text = p.join('\n');
    expect(text).toContain(
      'CONSOLE_AGENTS: entry 1 (agent alice): the password must be at least 8 characters',
    );
    expect(text).toContain('CONSOLE_AGENTS: entry 2 is not "id:password"');
    expect(text).toContain('CONSOLE_AGENTS: entry 4: agent bob is listed twice');
    expect(text).toContain('CONSOLE_AGENTS: entry 5: the agent id must be');
    expect(text).toContain('CONSOLE_SESSION_SECRET: must be at least 32 characters');
    expect(text).toContain('CONSOLE_SESSION_TTL_MIN');
    for (const secret of [
      'short7!',
      'nopassword',
      'longenough',
      'whatever12',
      'tooshort-secret-value',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('refuses an empty agent list', () => {
    expect(problems({ CONSOLE_AGENTS: '', CONSOLE_SESSION_SECRET: SECRET }).join()).toContain(
      'CONSOLE_AGENTS: required: at least one',
    );
  });

  it('reads queues and roles of CONSOLE_AGENTS accounts, admin included', () => {
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_AGENTS: 'alice:s3cretpw,ada:s3cretpw',
      CONSOLE_AGENT_QUEUES: 'alice:general|fraud',
      CONSOLE_ROLES: 'ada:admin',
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENT_QUEUES.get('alice')).toEqual(['general', 'fraud']);
    expect(c.CONSOLE_ROLES.get('ada')).toBe('admin');
    expect(c.CONSOLE_COOKIE_SECURE).toBe(false);
  });

  it('refuses an unknown queue, and roles or queues of an id that is not an account', () => {
    const text = problems({
      CONSOLE_AGENTS: 'alice:s3cretpw',
      CONSOLE_AGENT_QUEUES: 'alice:general|cards,bob:fraud,broken',
      CONSOLE_ROLES: 'sam:supervisor',
      CONSOLE_SESSION_SECRET: SECRET,
    }).join('\n');
    expect(text).toContain(
      'CONSOLE_AGENT_QUEUES: agent alice: "cards" is not a queue (one of fraud, onboarding, disputes, general)',
    );
    expect(text).toContain('CONSOLE_AGENT_QUEUES: "broken" is not "agentId:queue|queue"');
    expect(text).toContain('CONSOLE_AGENT_QUEUES: bob is not an account of CONSOLE_AGENTS');
    expect(text).toContain('CONSOLE_ROLES: sam is not an account of CONSOLE_AGENTS');
  });

  it('reads hashed accounts from CONSOLE_ACCOUNTS_FILE without CONSOLE_AGENTS', () => {
    const path = accountsFile([
      { id: 'alice', passwordHash: HASH, role: 'agent', queues: ['general', 'fraud'] },
      { id: 'sam', passwordHash: HASH, role: 'supervisor', queues: [] },
    ]);
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_ACCOUNTS_FILE: path,
      CONSOLE_SESSION_SECRET: SECRET,
    });
    expect(c.CONSOLE_AGENTS).toEqual([]);
    expect(c.CONSOLE_ACCOUNTS_FILE).toEqual([
      { id: 'alice', passwordHash: HASH, role: 'agent', queues: ['general', 'fraud'] },
      { id: 'sam', passwordHash: HASH, role: 'supervisor', queues: [] },
    ]);
  });

  it('names every bad entry of the accounts file and never echoes a hash', () => {
    const path = accountsFile([
      { id: 'alice', passwordHash: 'plaintext-password', role: 'agent', queues: ['general'] },
      { id: 'bob', passwordHash: HASH, role: 'root', queues: ['general'] },
      { id: 'carl', passwordHash: HASH, role: 'agent', queues: [] },
      { id: 'dan', passwordHash: HASH, role: 'agent', queues: ['cards'] },
      { id: 'eve', passwordHash: HASH, role: 'agent', queues: ['general'], queue: 'x' },
      { id: 'carl2', passwordHash: HASH, role: 'agent', queues: ['general'] },
      { id: 'carl2', passwordHash: HASH, role: 'agent', queues: ['general'] },
    ]);
    const text = problems({
      CONSOLE_ACCOUNTS_FILE: path,
      CONSOLE_AGENTS: 'carl2:s3cretpw',
      CONSOLE_SESSION_SECRET: SECRET,
    }).join('\n');
    expect(text).toContain(
      'CONSOLE_ACCOUNTS_FILE: entry 1: passwordHash: must be an argon2id hash',
    );
    expect(text).toContain('CONSOLE_ACCOUNTS_FILE: entry 2: role:');
    expect(text).toContain(
      'CONSOLE_ACCOUNTS_FILE: entry 3 (carl): an agent needs at least one queue',
    );
    expect(text).toContain('CONSOLE_ACCOUNTS_FILE: entry 4 (dan) queues: "cards" is not a queue');
    expect(text).toContain('CONSOLE_ACCOUNTS_FILE: entry 5:');
    expect(text).toContain('CONSOLE_ACCOUNTS_FILE: entry 7: carl2 is listed twice');
    expect(text).toContain('CONSOLE_ACCOUNTS_FILE: carl2 is also in CONSOLE_AGENTS');
    expect(text).not.toContain('plaintext-password');
    expect(text).not.toContain('tUlz7Tn5');
  });

  it('says when the accounts file is missing or not JSON', () => {
    expect(
      problems({
        CONSOLE_ACCOUNTS_FILE: '/nonexistent/accounts.json',
        CONSOLE_SESSION_SECRET: SECRET,
      }),
    ).toContain('CONSOLE_ACCOUNTS_FILE: cannot read /nonexistent/accounts.json (ENOENT)');
    expect(
      problems({ CONSOLE_ACCOUNTS_FILE: accountsFile('{"id":'), CONSOLE_SESSION_SECRET: SECRET }),
    ).toContain('CONSOLE_ACCOUNTS_FILE: is not valid JSON');
    expect(
      problems({ CONSOLE_ACCOUNTS_FILE: accountsFile({}), CONSOLE_SESSION_SECRET: SECRET }),
    ).toContain('CONSOLE_ACCOUNTS_FILE: must be a JSON array of {id, passwordHash, role, queues}');
  });

  it('needs the OIDC client keys only when an issuer is set', () => {
    const base = { CONSOLE_AGENTS: 'alice:s3cretpw', CONSOLE_SESSION_SECRET: SECRET };
    expect(parseConfig(ConsoleEnv, base).CONSOLE_OIDC_ISSUER).toBeUndefined();
    const p = problems({
      CONSOLE_SESSION_SECRET: SECRET,
      CONSOLE_OIDC_ISSUER: 'https://id.example',
    });
    expect(p).toEqual([
      'CONSOLE_OIDC_CLIENT_ID: required when CONSOLE_OIDC_ISSUER is set',
      'CONSOLE_OIDC_CLIENT_SECRET: required when CONSOLE_OIDC_ISSUER is set',
      'CONSOLE_OIDC_REDIRECT_URL: required when CONSOLE_OIDC_ISSUER is set',
    ]);
    const c = parseConfig(ConsoleEnv, {
      CONSOLE_SESSION_SECRET: SECRET,
      CONSOLE_OIDC_ISSUER: 'https://id.example',
      CONSOLE_OIDC_CLIENT_ID: 'console',
      CONSOLE_OIDC_CLIENT_SECRET: 'a-client-secret',
      CONSOLE_OIDC_REDIRECT_URL: 'https://console.example/api/auth/oidc/callback',
    });
    expect(c.CONSOLE_OIDC_ROLE_CLAIM).toBe('omnigate_role');
    expect(problems({ ...base, CONSOLE_OIDC_ISSUER: 'ftp://x' })[0]).toMatch(
      /^CONSOLE_OIDC_ISSUER:/,
    );
  });
});

describe('ConsoleEnv with NODE_ENV=production', () => {
  const keys = { CONSOLE_SESSION_SECRET: SECRET, CONSOLE_ACCOUNTS_FILE: '' };
  const oidc = {
    CONSOLE_OIDC_CLIENT_ID: 'omnigate-console',
    CONSOLE_OIDC_CLIENT_SECRET: 'c'.repeat(32),
    CONSOLE_OIDC_REDIRECT_URL: 'https://console.bank/api/auth/oidc/callback',
  };
  const problemsIn = (env: NodeJS.ProcessEnv): string[] => {
    try {
      parseConfig(ConsoleEnv, { NODE_ENV: 'production', ...env });
      return [];
    } catch (e) {
      return (e as ConfigError).problems.map((p) => p.split(':')[0]!);
    }
  };

  it('refuses the sandbox OIDC issuer, no database and no NATS user, listing each', () => {
    const env = { ...oidc, CONSOLE_SESSION_SECRET: keys.CONSOLE_SESSION_SECRET };
    expect(
      problemsIn({ ...env, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' }).sort(),
    ).toEqual(['CONSOLE_OIDC_ISSUER', 'DATABASE_URL', 'NATS_USER']);
  });

  it('starts with a real issuer, a database and its NATS user', () => {
    expect(
      problemsIn({
        ...oidc,
        CONSOLE_SESSION_SECRET: keys.CONSOLE_SESSION_SECRET,
        CONSOLE_OIDC_ISSUER: 'https://login.bank.example',
        DATABASE_URL: 'postgres://console@db/omnigate',
        NATS_USER: 'console',
        NATS_PASS: 'nats-password',
      }),
    ).toEqual([]);
  });
});
