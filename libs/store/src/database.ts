import { existsSync, mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { withinGrace } from '@omnigate/kit';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Client, Pool } from 'pg';
import { schema } from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseConfig {
  /** postgres://... : PostgreSQL. Without it, embedded PGlite in `dataDir`. */
  url?: string;
  /** PGlite data folder; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
  /** Encryption at rest: key-encryption keys (`id:base64,...`, first current) and the blind-index key (base64, 32 bytes). Off when absent. */
  protection?: { keks: string; indexKey: string };
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = join(__dirname, '..', 'migrations');

// PGlite is one process, one instance: apps sharing a process (npm start, tests) share it.
const pgliteInstances = new Map<string, { pg: PGlite; refs: number; ready: Promise<void> }>();

/** Opens the database and applies pending migrations (serialised with an advisory lock on PostgreSQL). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) return openPostgres(config.url, config.poolSize ?? 10);
  return openPglite(config.dataDir ?? join(process.cwd(), '.data', 'pgdata'));
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const migrator = new Client({ connectionString: url });
  await migrator.connect();
  try {
    await migrator.query('SELECT pg_advisory_lock(774411)');
    await migratePg(drizzlePg(migrator, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await migrator.query('SELECT pg_advisory_unlock(774411)').catch(() => undefined);
    await migrator.end();
  }
  const pool = new Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    kind: 'postgres',
    ping: async () => (await pool.query('SELECT 1')).rowCount === 1,
    close: () => endWithin(pool, 5000),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let entry = pgliteInstances.get(dataDir);
  if (!entry) {
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const pg = new PGlite(dataDir);
    const ready = (async () => {
      await pg.waitReady;
      await migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    })();
    entry = { pg, refs: 0, ready };
    pgliteInstances.set(dataDir, entry);
  }
  entry.refs++;
  await entry.ready;
  const e = entry;
  let closed = false;
  return {
    db: drizzlePglite(e.pg, { schema }) as unknown as Db,
    kind: 'pglite',
    ping: async () => (await e.pg.query('SELECT 1')).rows.length === 1,
    close: async () => {
      // Once per handle: an app closed by its own signal hook and again by its launcher must not
      // take another app's reference (npm start runs every app on one PGlite).
      if (closed) return;
      closed = true;
      if (--e.refs > 0) return;
      pgliteInstances.delete(dataDir);
      if (!e.pg.closed) await e.pg.close();
    },
  };
}

/**
 * Ends the pool, waiting at most `ms` for clients still checked out (a query that never returns
 * must not hang a shutdown); their connections are then dropped with the process.
 */
async function endWithin(pool: Pool, ms: number): Promise<void> {
  if (!(await withinGrace(pool.end(), ms))) {
    new Logger('store').warn({
      msg: 'database pool did not close within the grace period',
      graceMs: ms,
      busyClients: pool.totalCount - pool.idleCount,
    });
  }
}

/** Lets a test hand an already-created PGlite (e.g. loaded from a migrated snapshot) to the apps. */
export function registerPglite(dataDir: string, pg: PGlite): void {
  pgliteInstances.set(dataDir, { pg, refs: 1, ready: Promise.resolve() });
}

/**
 * For command-line tools (audit:verify, vault:rotate): embedded PGlite is single-process, and a
 * second opener would corrupt the running apps' data, so refuse a PGlite folder in use unless
 * `force` (after a crash). PostgreSQL (no dataDir) and in-memory databases pass.
 */
export function refuseOpenPglite(dataDir: string | undefined, force: boolean): void {
  if (!dataDir || dataDir.startsWith('memory://') || force) return;
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    throw new Error(
      `the PGlite data in ${dataDir} is open in another process (npm start?). Stop it and run ` +
        'again, or use DATABASE_URL. If nothing runs (it crashed), add --force.',
    );
  }
}
