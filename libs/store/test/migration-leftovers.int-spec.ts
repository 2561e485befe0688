import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER, migrateDatabase } from '@omnigate/store';

/**
 * Migration 0005 on a database that still has the leftovers' data: the three tables go, and so do
 * the data keys that sealed only what they held. Always on PGlite: the test must stop the schema
 * at 0004 first, which a cloned, fully migrated PostgreSQL test database cannot (the SQL itself
 * runs on PostgreSQL 15 in every PostgreSQL run: the test template is migrated with it).
 */
describe('migration 0005: card_vault, email_messages and opt_outs dropped with their keys', () => {
  let dir: string;
  let pg: PGlite;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'og-mig-'));
    cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalFile = join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
      entries: Array<{ tag: string }>;
    };
    const upTo = journal.entries.findIndex((e) => e.tag.startsWith('0005_'));
    expect(upTo).toBeGreaterThan(0);
    writeFileSync(
      journalFile,
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }),
    );
    pg = new PGlite();
    await migrate(drizzle(pg), { migrationsFolder: dir });
  });
  afterAll(async () => {
    await pg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the tables and destroys the keys nothing else uses, keeping those still in use', async () => {
    await pg.exec(`
      INSERT INTO card_vault (token, pan_sealed, brand, last4) VALUES ('tok', 'e1.x', 'visa', '1111');
      INSERT INTO opt_outs (channel, address, opted_out, keyword) VALUES ('sms', 'idx', true, 'STOP');
      INSERT INTO email_messages (message_id, direction, address, state)
        VALUES ('<a@x>', 'inbound', 'idx', 'received');
      INSERT INTO data_keys (owner, kek_id, wrapped) VALUES
        ('vault', 'k1', 'w'), ('mail:<a@x>', 'k1', 'w'), ('mail:<b@x>', 'k1', 'w'),
        ('customer:00000000-0000-4000-8000-000000000001', 'k1', 'w');
      INSERT INTO email_attachments (id, content, sealed, key_owner, mime_type, size, sha256)
        VALUES ('00000000-0000-4000-8000-000000000002', '\\x00', true, 'mail:<b@x>', 'text/plain', 1, 'h');
    `);
    await migrateDatabase({ pglite: pg });
    const tables = await pg.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables
        WHERE tablename IN ('card_vault', 'opt_outs', 'email_messages')`,
    );
    expect(tables.rows).toEqual([]);
    const keys = await pg.query<{ owner: string; kept: boolean }>(
      `SELECT owner, wrapped IS NOT NULL AS kept FROM data_keys ORDER BY owner`,
    );
    expect(keys.rows).toEqual([
      { owner: 'customer:00000000-0000-4000-8000-000000000001', kept: true },
      { owner: 'mail:<a@x>', kept: false },
      // An older attachment still sealed with its mail's key: erasure finds it through the row.
      { owner: 'mail:<b@x>', kept: true },
      { owner: 'vault', kept: false },
    ]);
  });
});
