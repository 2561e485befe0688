import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { setLogSink } from '@omnigate/kit';
import {
  dbRoleName,
  migrateDatabase,
  openDatabase,
  registerPglite,
  urlAsRole,
} from '@omnigate/store';
import { createTestDatabase, pollUntil } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

type Exec = (sql: string) => Promise<unknown>;

/**
 * `npm run migrate` made the roles and grants (the test database is cloned from a migrated
 * template): each role may do what libs/store table-access.ts says and nothing else, gateways have
 * no role at all, and no app role can change the schema.
 */
describe(`database roles and grants on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.cleanup();
  });

  /**
   * One session as `role`: on PostgreSQL a login as that role (what the app does); on PGlite, one
   * embedded session, SET ROLE (the same privilege checks).
   */
  async function asRole(role: string, work: (exec: Exec) => Promise<void>): Promise<void> {
    if (tdb.kind === 'postgres') {
      const client = new Client({ connectionString: urlAsRole(tdb.config.url!, role) });
      await client.connect();
      try {
        // Drizzle wraps driver errors in `cause`; so does this, to check both engines alike.
        await work((sql) =>
          client.query(sql).catch((e: unknown) => {
            throw new Error('query failed', { cause: e });
          }),
        );
      } finally {
        await client.end();
      }
      return;
    }
    const db = await openDatabase(tdb.config);
    const exec: Exec = (sql) => db.db.execute(sql);
    try {
      await exec(`SET ROLE "${role}"`);
      await work(exec);
    } finally {
      await exec('RESET ROLE').catch(() => undefined);
      await db.close();
    }
  }
  const denied = (p: Promise<unknown>) =>
    expect(p).rejects.toMatchObject({
      cause: expect.objectContaining({
        message: expect.stringMatching(/permission denied|must be owner/) as unknown,
      }) as unknown,
    });

  it('has a role for the router, the console and the vault, and none for any gateway', async () => {
    const db = await openDatabase(tdb.config);
    try {
      const res: unknown = await db.db.execute(
        `SELECT rolname FROM pg_roles WHERE rolname LIKE 'omnigate\\_%' ORDER BY rolname`,
      );
      const names = (res as { rows: Array<{ rolname: string }> }).rows.map((r) => r.rolname);
      expect(names).toEqual(
        expect.arrayContaining(['omnigate_console', 'omnigate_router', 'omnigate_vault']),
      );
      expect(names.filter((n) => n.includes('gateway'))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('lets the console read conversations and messages but write neither, nor the vault', async () => {
    await asRole(dbRoleName('console'), async (exec) => {
      await exec('SELECT count(*) FROM messages');
      await exec('SELECT count(*) FROM conversations');
      await denied(exec(`DELETE FROM messages`));
      await denied(exec(`UPDATE conversations SET status = 'closed'`));
      await denied(exec(`SELECT * FROM card_vault`));
      await denied(
        exec(
          `INSERT INTO card_vault (token, pan_sealed, brand, last4) VALUES ('t', 'x', 'visa', '1111')`,
        ),
      );
    });
  });

  it('lets the router keep its tables, append to the audit log, and not touch the vault', async () => {
    await asRole(dbRoleName('router'), async (exec) => {
      await exec(`SELECT count(*) FROM customers`);
      await exec(`DELETE FROM tickets WHERE false`);
      await denied(exec(`DELETE FROM audit_log WHERE false`));
      await denied(exec(`SELECT * FROM card_vault`));
    });
  });

  it('refuses schema changes to every app role', async () => {
    for (const role of ['router', 'console', 'vault'] as const) {
      await asRole(dbRoleName(role), async (exec) => {
        await denied(exec(`CREATE TABLE public.sneaky (a int)`));
        await denied(exec(`ALTER TABLE messages ADD COLUMN sneaky int`));
        await denied(exec(`DROP TABLE audit_log`));
      });
    }
  });

  it('on PostgreSQL, logs in as an app role, and a gateway has no role to log in as', async () => {
    if (tdb.kind !== 'postgres') {
      // PGlite is one embedded session: there is no login, the SET ROLE tests above are its check.
      expect(tdb.kind).toBe('pglite');
      return;
    }
    const url = tdb.config.url!;
    const asConsole = new Client({ connectionString: urlAsRole(url, dbRoleName('console')) });
    await asConsole.connect();
    try {
      expect((await asConsole.query('SELECT current_user AS u')).rows[0]).toEqual({
        u: 'omnigate_console',
      });
      await expect(asConsole.query('SELECT * FROM card_vault')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await asConsole.end();
    }
    const asGateway = new Client({ connectionString: urlAsRole(url, 'omnigate_gateway_sms') });
    await expect(asGateway.connect()).rejects.toThrow(/role "omnigate_gateway_sms" does not exist/);
  });

  it('an app never migrates: it waits for `npm run migrate` and says so', async () => {
    const key = `memory://unmigrated-${Date.now()}`;
    const logs: string[] = [];
    const restore = setLogSink((line) => logs.push(line));
    const pg = new PGlite();
    try {
      registerPglite(key, pg);
      let opened = false;
      const opening = openDatabase({ dataDir: key }).then((db) => {
        opened = true;
        return db;
      });
      await pollUntil(() => logs.some((l) => l.includes('STORE.SCHEMA_BEHIND')), {
        what: 'the app to report the schema behind',
      });
      expect(opened).toBe(false);
      const tables = await pg.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(tables.rows).toEqual([{ n: 0 }]);
      await migrateDatabase({ pglite: pg });
      const db = await opening;
      await db.close();
    } finally {
      setLogSink(restore);
      if (!pg.closed) await pg.close();
    }
  });
});
