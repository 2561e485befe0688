import { sql } from 'drizzle-orm';
import { isTransientFailure } from '@omnigate/kit';
import { openDatabase } from '@omnigate/store';
import type { Database } from '@omnigate/store';
import {
  TcpFaultProxy,
  createTestDatabase,
  freePort,
  pollUntil,
  recordDatabaseSpec,
} from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

const onPostgres = Boolean(process.env.DATABASE_URL);
// A TCP proxy needs a server behind it: on PGlite this file only enrols in CI's PostgreSQL run.
if (!onPostgres) recordDatabaseSpec();

/**
 * Issue 13 item 5: with PostgreSQL stopped for 60 s the router exited on an unhandled `pg` client
 * error. A client checked out for a transaction has no pool listener between two statements:
 * its connection dying there must fail the transaction (transiently), never end the process.
 */
(onPostgres ? describe : describe.skip)('store: the database going away', () => {
  let tdb: TestDatabase;
  let proxy: TcpFaultProxy;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const target = new URL(tdb.config.url!);
    proxy = await TcpFaultProxy.start(
      { host: target.hostname, port: Number(target.port || 5432) },
      await freePort(),
    );
    database = await openDatabase({ url: proxy.rewrite(tdb.config.url!), poolSize: 3 });
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.stop();
    await tdb?.cleanup();
  });

  it('cuts a connection in the middle of a transaction: the transaction fails transiently, the process lives, the pool recovers', async () => {
    const inTransaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      // The client is checked out and idle between two statements when the connection dies.
      await proxy.stop();
      await new Promise((r) => setImmediate(r));
      await tx.execute(sql`SELECT 2`);
    });
    const failure = await inTransaction.then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).not.toBeNull();
    expect(isTransientFailure(failure)).toBe(true);
    // Down: readiness's ping says no (quickly: new connections are refused).
    expect(await database.ping().catch(() => false)).toBe(false);

    await proxy.start();
    await pollUntil(() => database.ping().catch(() => false), { what: 'the pool to reconnect' });
    const res = await database.db.execute(sql`SELECT 41 + 1 AS n`);
    expect((res as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(42);
  });

  it('a pooled idle connection cut while nobody uses it is replaced on next use', async () => {
    await database.db.execute(sql`SELECT 1`);
    await proxy.stop();
    await proxy.start();
    await pollUntil(() => database.ping().catch(() => false), { what: 'a fresh connection' });
  });
});
