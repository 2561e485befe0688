import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';
import { schema } from '../schema';
import { DB_ROLES, DEFAULT_ROLE_PREFIX, dbRoleName } from './db-roles';
import type { DbRole } from './db-roles';
import { grantStatements, sequenceGrantStatements, tablesWithoutOwner } from './grants.mapper';
import { TABLE_ACCESS } from './table-access';

export const MIGRATIONS_FOLDER = join(__dirname, '..', '..', 'migrations');

export interface MigrateOptions {
  /** postgres://… as a role that may run DDL and create roles; else PGlite under dataDir. */
  url?: string;
  dataDir?: string;
  /** An already open PGlite (tests, the all-in-one launcher). */
  pglite?: PGlite;
  rolePrefix?: string;
  /** Sets the roles' login passwords (PostgreSQL); unset = roles keep theirs (or none). */
  passwords?: Partial<Record<DbRole, string>>;
}

export interface MigrateResult {
  /** Migrations in the folder, and how many the database had before. */
  migrations: number;
  appliedBefore: number;
  roles: string[];
  tables: number;
}

/** What both engines offer the migrator: statements and row queries on one session. */
interface Session {
  exec(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
}

/**
 * `npm run migrate`: the schema (drizzle migrations), the app roles and their grants from
 * TABLE_ACCESS. Idempotent; serialised by an advisory lock on PostgreSQL. The only code that runs
 * DDL: apps never migrate at start (openDatabase only checks the schema is current).
 */
export async function migrateDatabase(opts: MigrateOptions): Promise<MigrateResult> {
  if (opts.url) {
    const client = new Client({ connectionString: opts.url });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(774411)');
      const session: Session = {
        exec: async (sql) => void (await client.query(sql)),
        rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
      };
      const before = await appliedCount(session);
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      return await finish(session, before, opts);
    } finally {
      await client.query('SELECT pg_advisory_unlock(774411)').catch(() => undefined);
      await client.end();
    }
  }
  const pg = opts.pglite ?? new PGlite(opts.dataDir);
  try {
    await pg.waitReady;
    const session: Session = {
      exec: async (sql) => void (await pg.exec(sql)),
      rows: async <T>(sql: string) => (await pg.query<T>(sql)).rows,
    };
    const before = await appliedCount(session);
    await migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    return await finish(session, before, opts);
  } finally {
    if (!opts.pglite) await pg.close();
  }
}

async function finish(
  s: Session,
  appliedBefore: number,
  opts: MigrateOptions,
): Promise<MigrateResult> {
  const prefix = opts.rolePrefix ?? DEFAULT_ROLE_PREFIX;
  const roles = await ensureRoles(s, prefix, opts.passwords ?? {});
  const tables = (
    await s.rows<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  ).map((r) => r.t);
  const orphans = tablesWithoutOwner(TABLE_ACCESS, tables);
  if (orphans.length) {
    throw new Error(`tables without an owner in libs/store table-access.ts: ${orphans.join(', ')}`);
  }
  const sequences = await s.rows<{ table: string; sequence: string }>(
    `SELECT c.table_name AS "table",
            pg_get_serial_sequence(format('public.%I', c.table_name), c.column_name) AS "sequence"
       FROM information_schema.columns c
      WHERE c.table_schema = 'public'
        AND (c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES')`,
  );
  const quoted = roles.map((r) => `"${r}"`).join(', ');
  for (const sql of [
    ...grantStatements(TABLE_ACCESS, tables, prefix),
    ...sequenceGrantStatements(TABLE_ACCESS, sequences, prefix),
    // Apps check that the schema is current (openDatabase); nothing more of the migrator's table.
    `GRANT USAGE ON SCHEMA drizzle TO ${quoted}`,
    `GRANT SELECT ON TABLE drizzle.__drizzle_migrations TO ${quoted}`,
  ]) {
    await s.exec(sql);
  }
  return { migrations: journalEntries().length, appliedBefore, roles, tables: tables.length };
}

async function ensureRoles(
  s: Session,
  prefix: string,
  passwords: Partial<Record<DbRole, string>>,
): Promise<string[]> {
  const names: string[] = [];
  for (const role of DB_ROLES) {
    const name = dbRoleName(role, prefix);
    names.push(name);
    const exists = await s.rows(`SELECT 1 FROM pg_roles WHERE rolname = '${name}'`);
    if (exists.length === 0) {
      // Two migrations at once (two test runs on one server) may race: the loser finds it made.
      await s
        .exec(`CREATE ROLE "${name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`)
        .catch(async (e: unknown) => {
          if ((await s.rows(`SELECT 1 FROM pg_roles WHERE rolname = '${name}'`)).length) return;
          throw e;
        });
    }
    const password = passwords[role];
    if (password) {
      await s.exec(`ALTER ROLE "${name}" PASSWORD '${password.replace(/'/g, "''")}'`);
    }
  }
  return names;
}

async function appliedCount(s: Session): Promise<number> {
  const exists = await s.rows(
    `SELECT 1 FROM information_schema.tables
      WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
  );
  if (exists.length === 0) return 0;
  const [row] = await s.rows<{ n: number }>(
    'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
  );
  return row?.n ?? 0;
}

/** The migrations in the folder (drizzle's journal), oldest first. */
export function journalEntries(): Array<{ tag: string; when: number }> {
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: Array<{ tag: string; when: number }> };
  return journal.entries;
}
