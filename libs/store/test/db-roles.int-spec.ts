import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { setLogSink } from '@omnigate/kit';
import {
  DB_ROLES,
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

  /** A row for each vault table, and a column to update: every write must be refused. */
  const VAULT_WRITES: Record<string, { insert: string; column: string }> = {
    vault_cards: {
      insert: `(token, key_id, pan_enc, pan_ct, brand, last4) VALUES ('t', 'k', 'x', 'x', 'visa', '1111')`,
      column: 'brand',
    },
    vault_refs: { insert: `(ref, token, channel) VALUES ('r', 't', 'sms')`, column: 'channel' },
    vault_audit: {
      insert: `(seq, at, actor, action, subject, detail, prev_hash, hash)
               VALUES (1, now(), 'a', 'b', 'c', '{}', 'p', 'h')`,
      column: 'actor',
    },
  };
  const vaultWritesRefused = async (exec: Exec) => {
    for (const [table, { insert, column }] of Object.entries(VAULT_WRITES)) {
      await denied(exec(`INSERT INTO ${table} ${insert}`));
      await denied(exec(`UPDATE ${table} SET ${column} = 'x'`));
      await denied(exec(`DELETE FROM ${table}`));
    }
  };

  it('lets the console read what its screens show, and write no router table', async () => {
    await asRole(dbRoleName('console'), async (exec) => {
      for (const table of ['conversations', 'customers', 'messages', 'message_status_events']) {
        await exec(`SELECT count(*) FROM ${table}`);
      }
      await exec('SELECT count(*) FROM email_attachments');
      await exec('SELECT count(*) FROM data_keys');
      await denied(exec(`DELETE FROM messages`));
      await denied(exec(`UPDATE conversations SET status = 'closed'`));
      // Consents, erasure: the router does the writing (rpc.v1.router.*), the console cannot.
      await denied(
        exec(
          `INSERT INTO consents (customer_id, channel, purpose, granted, source, updated_at)
           VALUES ('00000000-0000-4000-8000-000000000000', 'sms', 'marketing', true, 'agent', now())`,
        ),
      );
      await denied(exec(`UPDATE consents SET granted = true`));
      await denied(exec(`UPDATE customers SET display_name = NULL, core_ref = NULL`));
      await denied(exec(`INSERT INTO customers (kind) VALUES ('contact')`));
      await denied(exec(`UPDATE data_keys SET wrapped = NULL, destroyed_at = now()`));
      await denied(exec(`UPDATE channel_identities SET status = 'revoked'`));
      // Nor does it read what the router keeps to itself (it asks the router for context).
      for (const table of ['consents', 'channel_identities', 'tickets', 'identity_proofs']) {
        await denied(exec(`SELECT count(*) FROM ${table}`));
      }
    });
  });

  it('refuses the console every write of the vault tables and any read of the card numbers', async () => {
    await asRole(dbRoleName('console'), async (exec) => {
      await vaultWritesRefused(exec);
      await denied(exec(`SELECT * FROM vault_cards`));
      await denied(exec(`SELECT * FROM vault_refs`));
      await denied(exec(`SELECT * FROM vault_audit`));
    });
  });

  it('lets the router keep its tables, append to the audit log, and not touch the vault', async () => {
    await asRole(dbRoleName('router'), async (exec) => {
      await exec(`SELECT count(*) FROM customers`);
      await exec(`DELETE FROM tickets WHERE false`);
      await exec(`UPDATE consents SET granted = granted WHERE false`);
      await denied(exec(`DELETE FROM audit_log WHERE false`));
      await vaultWritesRefused(exec);
      await denied(exec(`SELECT * FROM vault_cards`));
    });
  });

  it('lets the vault keep its own tables and nothing else', async () => {
    await asRole(dbRoleName('vault'), async (exec) => {
      await exec(`SELECT count(*) FROM vault_cards`);
      await exec(`DELETE FROM vault_refs WHERE false`);
      for (const table of ['customers', 'messages', 'data_keys', 'audit_log']) {
        await denied(exec(`SELECT count(*) FROM ${table}`));
      }
    });
  });

  it('has dropped the tables nothing writes any more (card_vault, email_messages, opt_outs)', async () => {
    const db = await openDatabase(tdb.config);
    try {
      const res: unknown = await db.db.execute(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
          AND tablename IN ('card_vault', 'email_messages', 'opt_outs')`,
      );
      expect((res as { rows: unknown[] }).rows).toEqual([]);
    } finally {
      await db.close();
    }
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

  it('on PostgreSQL, each app logs in as its own role, and a gateway has no role to log in as', async () => {
    if (tdb.kind !== 'postgres') {
      // PGlite is one embedded session: there is no login, the SET ROLE tests above are its check.
      expect(tdb.kind).toBe('pglite');
      return;
    }
    const url = tdb.config.url!;
    for (const role of DB_ROLES) {
      // What the apps get (tools/dev-env.ts appEnv): the same URL, their role as the user.
      const app = await openDatabase({ url: urlAsRole(url, dbRoleName(role)), poolSize: 1 });
      try {
        const res: unknown = await app.db.execute('SELECT current_user AS u, session_user AS s');
        expect((res as { rows: unknown[] }).rows).toEqual([
          { u: dbRoleName(role), s: dbRoleName(role) },
        ]);
      } finally {
        await app.close();
      }
    }
    const asConsole = new Client({ connectionString: urlAsRole(url, dbRoleName('console')) });
    await asConsole.connect();
    try {
      await expect(asConsole.query('SELECT * FROM vault_cards')).rejects.toThrow(
        /permission denied/,
      );
      await expect(asConsole.query(`DELETE FROM vault_audit`)).rejects.toThrow(/permission denied/);
    } finally {
      await asConsole.end();
    }
    for (const gateway of ['gateway_sms', 'gateway-sms', 'sms']) {
      const user = `omnigate_${gateway}`;
      const asGateway = new Client({ connectionString: urlAsRole(url, user) });
      await expect(asGateway.connect()).rejects.toThrow(
        new RegExp(`role "${user}" does not exist`),
      );
    }
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
