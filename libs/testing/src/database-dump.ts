import { sql } from 'drizzle-orm';
import { openDatabase } from '@omnigate/store';
import type { DatabaseConfig } from '@omnigate/store';

/** Every row of every table as JSON text, as a database dump would show it. */
export async function dumpDatabase(config: DatabaseConfig): Promise<string> {
  const database = await openDatabase(config);
  try {
    const parts: string[] = [];
    // Every table of the schema, so a table added later cannot escape the check.
    const tables = await database.db.execute(
      sql.raw(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      ),
    );
    for (const { table_name: t } of (tables as { rows: Array<{ table_name: string }> }).rows) {
      const res = await database.db.execute(sql.raw(`SELECT * FROM ${t}`));
      const rows = (res as { rows: unknown[] }).rows;
      parts.push(`${t}: ${JSON.stringify(rows)}`);
    }
    return parts.join('\n');
  } finally {
    await database.close();
  }
}
