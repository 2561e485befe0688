import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { snapshotPath, templateDb } from './test-run';
import { Client } from 'pg';
import { dbRoleName, migrateDatabase, registerPglite, urlAsRole } from '@omnigate/store';
import type { DatabaseConfig, DbRole } from '@omnigate/store';

export interface TestDatabase {
  config: DatabaseConfig;
  /** 'pglite' by default; 'postgres' when DATABASE_URL is set (CI runs both). */
  kind: 'pglite' | 'postgres';
  /** The environment an app needs to open this database (DATABASE_URL or DATA_DIR). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A test file's PGlite: 16 MB of shared buffers instead of 128. A test database holds a few hundred
 * rows, and starting PGlite zeroes its buffer pool: 1.1 CPU-s per start with 128 MB, 0.5 with 16
 * (a third of it system time). Every database test file starts one. Apps started by a test on a
 * folder (onDisk) and production keep PGlite's defaults.
 */
const TEST_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * The migrated snapshot a test PGlite loads, read from disk once per jest worker (the worker's
 * test files share its global) instead of once per database, and handed to PGlite as a Blob that
 * answers with those very bytes. Wrapping 30 MB in a new Blob and PGlite reading it back through
 * the Blob's chunked stream cost about 0.2 CPU-s per database.
 */
class SnapshotBlob extends Blob {
  // PGlite reads a loadDataDir only through arrayBuffer() (and its type, empty here: no gzip),
  // untars it and copies each file into its own file system: it never writes to these bytes.
  constructor(private readonly snapshot: ArrayBuffer) {
    super([]);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.snapshot);
  }
}

interface CachedSnapshot {
  path: string;
  mtimeMs: number;
  bytes: ArrayBuffer;
}
const SNAPSHOT_CACHE = Symbol.for('omnigate.testing.snapshot');

function snapshotBlob(): Blob {
  const path = snapshotPath();
  const mtimeMs = statSync(path).mtimeMs;
  const g = globalThis as { [SNAPSHOT_CACHE]?: CachedSnapshot };
  let cached = g[SNAPSHOT_CACHE];
  if (cached?.path !== path || cached.mtimeMs !== mtimeMs) {
    const file = readFileSync(path);
    const bytes = new ArrayBuffer(file.byteLength);
    new Uint8Array(bytes).set(file);
    cached = { path, mtimeMs, bytes };
    g[SNAPSHOT_CACHE] = cached;
  }
  return new SnapshotBlob(cached.bytes);
}

/** Run once per jest run (globalSetup): a migrated PGlite snapshot and, on PostgreSQL, a template db. */
export async function prepareTestDatabases(): Promise<void> {
  if (process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${templateDb()}`);
      await admin.query(`CREATE DATABASE ${templateDb()}`);
    } finally {
      await admin.end();
    }
    await migrateDatabase({ url: withDatabase(process.env.DATABASE_URL, templateDb()) });
    return;
  }
  const snapshot = snapshotPath();
  mkdirSync(dirname(snapshot), { recursive: true });
  // 1 MB WAL segments instead of 16: every test file loads this snapshot, and the 16 MB segment
  // (zeros, mostly) was 40% of it; reading the blob cost about half a CPU-second per file.
  const pg = new PGlite({ initDbStartParams: ['--wal-segsize=1'] });
  await migrateDatabase({ pglite: pg });
  await pg.exec('CHECKPOINT');
  const dump = await pg.dumpDataDir('none');
  writeFileSync(snapshot, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
}

/**
 * A fresh, migrated database for one test file: a PGlite loaded from the snapshot (in memory, or
 * in a folder when another process must open it), or a PostgreSQL database cloned from the template.
 */
export async function createTestDatabase(opts: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  recordDatabaseSpec();
  if (process.env.DATABASE_URL) {
    const name = `og_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
    await admin.end();
    return {
      kind: 'postgres',
      config: { url: withDatabase(process.env.DATABASE_URL, name), poolSize: 5 },
      env: { DATABASE_URL: withDatabase(process.env.DATABASE_URL, name) },
      cleanup: async () => {
        const c = new Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await c.end();
      },
    };
  }
  const blob = snapshotBlob();
  if (opts.onDisk) {
    const root = mkdtempSync(join(tmpdir(), 'og-data-'));
    const dir = join(root, 'pgdata');
    const pg = await PGlite.create({
      dataDir: dir,
      loadDataDir: blob,
      startParams: TEST_START_PARAMS,
    });
    await pg.close();
    return {
      kind: 'pglite',
      config: { dataDir: dir },
      env: { DATA_DIR: root },
      cleanup: () => Promise.resolve(rmSync(root, { recursive: true, force: true })),
    };
  }
  const key = `memory://test-${randomBytes(6).toString('hex')}`;
  const pg = await PGlite.create({ loadDataDir: blob, startParams: TEST_START_PARAMS });
  registerPglite(key, pg);
  return {
    kind: 'pglite',
    config: { dataDir: key },
    env: { DATA_DIR: key },
    cleanup: async () => {
      if (!pg.closed) await pg.close();
    },
  };
}

/**
 * The environment of an app with tables on this database, as production gives it: on PostgreSQL
 * its DATABASE_URL logs in as the app's own role (`omnigate_<role>`, trust auth locally), so a
 * test fails if the role's grants are not enough. PGlite is one embedded session: as is.
 */
export function databaseEnvAs(db: TestDatabase, role: DbRole): Record<string, string> {
  if (db.kind !== 'postgres' || !db.env.DATABASE_URL) return db.env;
  return { ...db.env, DATABASE_URL: urlAsRole(db.env.DATABASE_URL, dbRoleName(role)) };
}

/**
 * A test file whose result does not depend on which database runs under it (the browser test: the
 * database is scenery) says so, with the reason, in a line of its own:
 * `// database-incidental: <why>`. CI then runs it once.
 */
const DATABASE_INCIDENTAL = /^\s*\/\/ database-incidental: \S.{9,}$/m;

/** Whether a test file that opened a database runs again on PostgreSQL (its source says). */
export function runsAgainOnPostgres(testSource: string): boolean {
  return !DATABASE_INCIDENTAL.test(testSource);
}

/**
 * CI runs every test once, then again on PostgreSQL the test files that opened a database: each
 * file that gets here is listed in OMNIGATE_DB_SPECS (one path a line), so a new spec cannot skip
 * the second run by being forgotten in a list; only a file that gives its reason is run once. A
 * file that needs a real server (a TCP proxy in front of PostgreSQL) calls it while skipping its
 * tests on PGlite, so that it runs in the PostgreSQL run.
 */
export function recordDatabaseSpec(): void {
  const list = process.env.OMNIGATE_DB_SPECS;
  const testPath = (
    globalThis as { expect?: { getState(): { testPath?: string } } }
  ).expect?.getState().testPath;
  if (!list || !testPath) return;
  if (!runsAgainOnPostgres(readFileSync(testPath, 'utf8'))) return;
  appendFileSync(list, `${testPath}\n`);
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
