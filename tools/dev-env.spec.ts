import { appEnv } from './dev-env';

const BASE = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DATABASE_URL: 'postgres://postgres:migrator-secret@db.internal:5432/omnigate?sslmode=require',
  DATA_KEKS: 'k1:x',
  DATA_INDEX_KEY: 'y',
  DB_PASSWORD_ROUTER: 'router-password-123',
  DB_PASSWORD_CONSOLE: 'console-password-123',
  VAULT_PRIVATE_KEYS: 'v1:z',
};

describe('appEnv: each app its own share, on PostgreSQL logged in as its own role', () => {
  it('gives router, console and vault the same database as their role, never the migrator', () => {
    expect(appEnv('router', BASE).DATABASE_URL).toBe(
      'postgres://omnigate_router:router-password-123@db.internal:5432/omnigate?sslmode=require',
    );
    expect(appEnv('console', BASE).DATABASE_URL).toBe(
      'postgres://omnigate_console:console-password-123@db.internal:5432/omnigate?sslmode=require',
    );
    // No password set for it: trust auth (a laptop) or a password in the server's own files.
    expect(appEnv('vault', BASE).DATABASE_URL).toBe(
      'postgres://omnigate_vault@db.internal:5432/omnigate?sslmode=require',
    );
    for (const app of ['router', 'console', 'vault']) {
      const env = appEnv(app, BASE);
      expect(JSON.stringify(env)).not.toContain('migrator-secret');
      expect(Object.keys(env).filter((k) => k.startsWith('DB_PASSWORD_'))).toEqual([]);
    }
    // Only the router finds addresses by their blind index; the console only opens what it shows.
    expect(appEnv('router', BASE).DATA_INDEX_KEY).toBe('y');
    expect(appEnv('console', BASE)).toMatchObject({ DATA_KEKS: 'k1:x' });
    expect(appEnv('console', BASE).DATA_INDEX_KEY).toBeUndefined();
  });

  it('gives a gateway and the sandbox no database at all', () => {
    for (const app of ['gateway-sms', 'gateway-telegram', 'sandbox']) {
      const env = appEnv(app, BASE);
      expect(env.DATABASE_URL).toBeUndefined();
      expect(Object.keys(env).filter((k) => /^(DATA_|DB_)/.test(k))).toEqual([]);
    }
  });

  it('honours DB_ROLE_PREFIX and leaves PGlite (DATA_DIR, one shared session) as it is', () => {
    expect(appEnv('router', { ...BASE, DB_ROLE_PREFIX: 'bank2_' }).DATABASE_URL).toMatch(
      /^postgres:\/\/bank2_router:/,
    );
    expect(appEnv('router', { DATA_DIR: '.data' })).toEqual({ DATA_DIR: '.data' });
  });
});
