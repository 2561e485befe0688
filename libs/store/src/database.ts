import { existsSync, mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { counter, isTransientFailure, withinGrace } from '@omnigate/kit';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Pool } from 'pg';
import { schema } from './schema';
import { journalEntries } from './migrate/migrate-database';
import { benchStatementCounter } from './stats/bench-stats';
import { countPgClient, countingPglite } from './stats/statement-counter';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseConfig {
  /** postgres://... : PostgreSQL. Without it, embedded PGlite in `dataDir`. */
  url?: string;
  /** PGlite data folder; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
  /**
   * Encryption at rest: key-encryption keys (`id:base64,...`, first current) and the blind-index
   * key (base64, 32 bytes; only the router holds it). Off when absent.
   */
  protection?: { keks: string; indexKey?: string };
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export { MIGRATIONS_FOLDER } from './migrate/migrate-database';

// PGlite is one process, one instance: apps sharing a process (npm start, tests) share it.
const pgliteInstances = new Map<string, { pg: PGlite; refs: number; ready: Promise<void> }>();

/**
 * Opens the database. It never runs DDL (that is `npm run migrate`, libs/store migrate/): it waits,
 * saying so every 30 s, until the schema is at least as new as this build's migrations.
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) return openPostgres(config.url, config.poolSize ?? 10);
  return openPglite(config.dataDir ?? join(process.cwd(), '.data', 'pgdata'));
}

/** A connection attempt that has not succeeded in this long fails (a black-holed database). */
const CONNECT_TIMEOUT_MS = 5000;

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  guardPoolErrors(pool);
  const counter = benchStatementCounter();
  if (counter) pool.on('connect', (client) => countPgClient(client, counter));
  await waitForSchema(async (sql) => (await pool.query(sql)).rows as unknown[]);
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
      await waitForSchema(async (sql) => (await pg.query(sql)).rows);
    })();
    entry = { pg, refs: 0, ready };
    pgliteInstances.set(dataDir, entry);
  }
  entry.refs++;
  await entry.ready;
  const e = entry;
  let closed = false;
  const counter = benchStatementCounter();
  return {
    db: drizzlePglite(counter ? countingPglite(e.pg, counter) : e.pg, { schema }) as unknown as Db,
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

const SCHEMA_POLL_MS = 2000;

/**
 * Returns once the newest migration applied is this build's newest (or newer: a rollback). A
 * database that is down at start is waited for the same way: an app never exits over it.
 */
async function waitForSchema(rows: (sql: string) => Promise<unknown[]>): Promise<void> {
  const entries = journalEntries();
  const wanted = entries.at(-1)?.when ?? 0;
  for (let attempt = 0, downSince = 0; ; attempt++) {
    let applied: number;
    try {
      applied = await newestApplied(rows);
    } catch (e) {
      if (!isTransientFailure(e)) throw e;
      if (downSince++ % 15 === 0) {
        new Logger('store').warn({
          msg: 'the database is unavailable at start (waiting)',
          code: 'STORE.UNAVAILABLE',
        });
      }
      await sleep(SCHEMA_POLL_MS);
      continue;
    }
    if (applied >= wanted) return;
    if (attempt % 15 === 0) {
      new Logger('store').warn({
        msg: 'the database schema is older than this build: run `npm run migrate` (waiting)',
        code: 'STORE.SCHEMA_BEHIND',
        newestMigration: entries.at(-1)?.tag,
      });
    }
    await sleep(SCHEMA_POLL_MS);
  }
}

async function newestApplied(rows: (sql: string) => Promise<unknown[]>): Promise<number> {
  const [table] = (await rows(
    `SELECT 1 AS x FROM information_schema.tables
      WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
  )) as Array<{ x: number }>;
  if (!table) return 0;
  const [row] = (await rows(
    'SELECT coalesce(max(created_at), 0)::text AS at FROM drizzle.__drizzle_migrations',
  )) as Array<{ at: string }>;
  return Number(row?.at ?? 0);
}

const connectionErrors = counter(
  'omnigate_store_connection_errors_total',
  'PostgreSQL connections that failed under the pool (the database went away, a network cut)',
);

/**
 * node-postgres emits 'error' on a client whose connection dies; an 'error' with no listener ends
 * the process. The pool listens for its idle clients, but a client checked out between two
 * statements of a transaction has none: every client gets one for good, the moment it connects.
 * The query in flight fails on its own (a transient error its caller waits out); the dead client
 * leaves the pool when it is released.
 */
function guardPoolErrors(pool: Pool): void {
  const log = new Logger('store');
  // The client's own listener below has reported it; the pool then drops the idle client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', (e: Error) => {
      connectionErrors.inc();
      log.warn({
        msg: 'a database connection failed',
        code: 'STORE.CONNECTION_LOST',
        cause: (e as { code?: unknown }).code ?? e.message.slice(0, 120),
      });
    });
  });
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
  const ready = waitForSchema(async (sql) => (await pg.query(sql)).rows);
  pgliteInstances.set(dataDir, { pg, refs: 1, ready });
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
