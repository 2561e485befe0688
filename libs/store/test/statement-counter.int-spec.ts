import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { customers, openDatabase } from '@omnigate/store';
import type { Database } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';
import { collectStatements } from '../../../bench/statement-stats';
import type { ProcessStatements } from '../../../bench/statement-stats';

/**
 * The bench's statement counts come from the driver (libs/store BENCH_STATS): this holds them to
 * what drizzle really sends on each driver, read the way the bench reads them.
 */
describe(`statement counter at the ${process.env.DATABASE_URL ? 'node-postgres' : 'PGlite'} driver`, () => {
  let tdb: TestDatabase;
  let database: Database;
  let dir: string;

  const counts = async (): Promise<ProcessStatements> => {
    const mine = (await collectStatements(dir)).get(process.pid);
    if (!mine) throw new Error('this process answered no statement counts');
    return mine;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'og-stats-'));
    // Read once, at the first database opened in this process (this test file's own).
    process.env.BENCH_STATS = dir;
    tdb = await createTestDatabase();
    database = await openDatabase(tdb.config);
  });
  afterAll(async () => {
    delete process.env.BENCH_STATS;
    await database?.close();
    await tdb?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts each statement and a transaction’s BEGIN and COMMIT, by shape, with no value', async () => {
    const before = await counts();
    const byName = eq(customers.displayName, 'Giulia Rossi');
    await database.db.select().from(customers).where(byName).limit(1);
    await database.db.transaction(async (tx) => {
      await tx.select().from(customers).where(byName);
      await tx.select({ id: customers.id }).from(customers).where(byName);
    });
    const after = await counts();

    expect(after.statements.total - before.statements.total).toBe(5);
    const delta = (shape: string) =>
      (after.statements.byShape.find((s) => s.shape === shape)?.count ?? 0) -
      (before.statements.byShape.find((s) => s.shape === shape)?.count ?? 0);
    expect(delta('BEGIN')).toBe(1);
    expect(delta('COMMIT')).toBe(1);
    const selects = after.statements.byShape.filter((s) => s.shape.includes('from "customers"'));
    expect(selects.reduce((n, s) => n + s.count, 0)).toBe(3);
    expect(JSON.stringify(after)).not.toContain('Giulia');
  });
});
