import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { HealthRegistry } from '@omnigate/kit';
import { AuditLogRepository, DbHandle, auditHash, openDatabase } from '@omnigate/store';
import type { AuditEntry, Database } from '@omnigate/store';
import { createTestDatabase } from '@omnigate/testing';
import type { TestDatabase } from '@omnigate/testing';

/** An attacker with database access (the table owner) switches the guard off, edits, switches it on. */
async function asOwner(db: Database, statement: SQL): Promise<void> {
  await db.db.execute(sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change'));
  try {
    await db.db.execute(statement);
  } finally {
    await db.db.execute(sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change'));
  }
}

describe('audit log: append-only in the database, hash-chained, searchable', () => {
  let tdb: TestDatabase;
  const opened: Database[] = [];
  const open = async (): Promise<{ db: Database; repo: AuditLogRepository }> => {
    const db = await openDatabase(tdb.config);
    opened.push(db);
    return { db, repo: new AuditLogRepository(new DbHandle(db, new HealthRegistry())) };
  };
  const entry = (n: number, more: Partial<AuditEntry> = {}): AuditEntry => ({
    actor: 'alice',
    action: 'conversation.view',
    subject: `conv-${n}`,
    detail: { role: 'agent', ip: '10.0.0.1', outcome: 'ok' },
    ...more,
  });

  // One database for the file; each test starts from an empty log, emptied by the table owner
  // (a fresh database per test cost seconds each).
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  beforeEach(async () => {
    const db = await openDatabase(tdb.config);
    try {
      await db.db.execute(sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate'));
      await db.db.execute(sql.raw('TRUNCATE audit_log RESTART IDENTITY'));
      await db.db.execute(sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate'));
    } finally {
      await db.close();
    }
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });
  afterAll(async () => {
    await tdb?.cleanup();
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const { db, repo } = await open();
    await repo.append(entry(1));
    for (const statement of [
      `UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`,
      `DELETE FROM audit_log WHERE seq = 1`,
      'TRUNCATE audit_log',
    ]) {
      await expect(db.db.execute(sql.raw(statement))).rejects.toMatchObject({
        cause: expect.objectContaining({
          message: expect.stringContaining('audit_log is append-only') as unknown,
        }) as unknown,
      });
    }
    const [row] = await repo.recent(5);
    expect(row).toMatchObject({ seq: 1, actor: 'alice' });
    expect(await repo.verify()).toMatchObject({ checked: 1, brokenAt: null, reason: null });
  });

  it('detects a change to any field: hash mismatch at that record', async () => {
    const { db, repo } = await open();
    for (let n = 1; n <= 3; n++) await repo.append(entry(n));
    const [original] = await repo.search({ limit: 1, subject: 'conv-2' });
    const restore = sql`UPDATE audit_log SET actor = ${original!.actor}, action = ${original!.action},
      subject = ${original!.subject}, at = ${original!.at.toISOString()}::timestamptz,
      detail = ${JSON.stringify(original!.detail)}::jsonb WHERE seq = 2`;
    for (const set of [
      `actor = 'mallory'`,
      `action = 'conversation.list'`,
      `subject = 'conv-x'`,
      `at = at + interval '1 millisecond'`,
      `detail = jsonb_set(detail, '{ip}', '"203.0.113.9"')`,
      `detail = detail || '{"note": "x"}'`,
      `detail = detail - 'outcome'`,
    ]) {
      await asOwner(db, sql.raw(`UPDATE audit_log SET ${set} WHERE seq = 2`));
      expect({ set, ...(await repo.verify()) }).toMatchObject({
        set,
        checked: 1,
        brokenAt: 2,
        reason: 'hash_mismatch',
        head: { seq: 1 },
      });
      await asOwner(db, restore);
      expect(await repo.verify()).toMatchObject({ checked: 3, brokenAt: null });
    }
  });

  it('detects a record rewritten with a fresh hash: the next one no longer points at it', async () => {
    const { db, repo } = await open();
    for (let n = 1; n <= 3; n++) await repo.append(entry(n));
    const [two] = await repo.search({ limit: 1, subject: 'conv-2' });
    const rehashed = auditHash(two!.prevHash, { ...two!, actor: 'mallory' });
    await asOwner(
      db,
      sql`UPDATE audit_log SET actor = 'mallory', hash = ${rehashed} WHERE seq = 2`,
    );
    expect(await repo.verify()).toMatchObject({
      checked: 2,
      brokenAt: 3,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a deleted record (a gap), the first one included', async () => {
    const { db, repo } = await open();
    for (let n = 1; n <= 4; n++) await repo.append(entry(n));
    await asOwner(db, sql`DELETE FROM audit_log WHERE seq = 3`);
    expect(await repo.verify()).toMatchObject({ checked: 2, brokenAt: 3, reason: 'gap' });
    await asOwner(db, sql`DELETE FROM audit_log WHERE seq = 1`);
    expect(await repo.verify()).toMatchObject({ checked: 0, brokenAt: 1, reason: 'gap' });
    expect(await repo.verifyChain()).toBe(1);
  });

  it('hashes detail keys in a fixed order: jsonb reorders them, the locale does not matter', async () => {
    const { repo } = await open();
    await repo.append(entry(1, { detail: { ab: 1, aZ: 2, a_b: 3, Zz: true, long_key_name: 'x' } }));
    await repo.append(entry(2, { detail: {} }));
    expect(await repo.verify()).toMatchObject({ checked: 2, brokenAt: null });
  });

  it('never forks the chain when several connections append at once', async () => {
    const writers = [await open(), await open(), await open()];
    await Promise.all(
      writers.flatMap(({ repo }, w) =>
        Array.from({ length: 15 }, (_, n) => repo.append(entry(n, { actor: `w${w}` }))),
      ),
    );
    const { repo } = writers[0]!;
    const rows = await repo.search({ limit: 100 });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
    expect(await repo.verify()).toMatchObject({ checked: 45, brokenAt: null, head: { seq: 45 } });
  });

  it('searches by actor, action, subject, customer and time, newest first, a page at a time', async () => {
    const { repo } = await open();
    const customer = '0b5b3f7e-2f0a-4a53-9a51-6f1f5a1b2c3d';
    await repo.append(entry(1, { actor: 'alice', action: 'conversation.view' }));
    await repo.append(
      entry(2, { actor: 'sam', action: 'card.reveal', detail: { customerId: customer } }),
    );
    await repo.append(entry(3, { actor: 'dora', action: 'customer.export', subject: customer }));
    await repo.append(entry(4, { actor: 'alice', action: 'conversation.context.view' }));
    const seqs = async (q: Parameters<AuditLogRepository['search']>[0]) =>
      (await repo.search(q)).map((r) => r.seq);

    expect(await seqs({ limit: 10 })).toEqual([4, 3, 2, 1]);
    expect(await seqs({ limit: 10, actor: 'alice' })).toEqual([4, 1]);
    expect(await seqs({ limit: 10, action: 'card.reveal' })).toEqual([2]);
    expect(await seqs({ limit: 10, subject: 'conv-4' })).toEqual([4]);
    expect(await seqs({ limit: 10, customerId: customer })).toEqual([3, 2]);
    expect(await seqs({ limit: 2 })).toEqual([4, 3]);
    expect(await seqs({ limit: 2, before: 3 })).toEqual([2, 1]);
    const all = await repo.search({ limit: 10 });
    const at2 = all.find((r) => r.seq === 2)!.at;
    expect(await seqs({ limit: 10, from: at2 })).toEqual(
      all.filter((r) => r.at >= at2).map((r) => r.seq),
    );
    expect(await seqs({ limit: 10, to: new Date(0) })).toEqual([]);
    expect(await seqs({ limit: 10, actor: 'alice', action: 'card.reveal' })).toEqual([]);
  });
});
