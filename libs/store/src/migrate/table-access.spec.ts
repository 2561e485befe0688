import { getTableName } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as mainSchema from '../schema';
import * as vaultSchema from '../vault/vault.schema';
import { grantStatements, sequenceGrantStatements, tablesWithoutOwner } from './grants.mapper';
import { TABLE_ACCESS } from './table-access';

describe('table access (one owner per table)', () => {
  // Every table the schema files declare (what drizzle-kit generates migrations from).
  const tables = [...Object.values(mainSchema), ...Object.values(vaultSchema)]
    .map((t): unknown => t)
    .filter((t): t is PgTable => t instanceof PgTable)
    .map((t) => getTableName(t));

  it('names an owner for every table the schema declares', () => {
    expect(tables.length).toBeGreaterThan(15);
    expect(tablesWithoutOwner(TABLE_ACCESS, tables)).toEqual([]);
  });

  it('lists no table the schema no longer has (a dropped table leaves with its grants)', () => {
    expect(Object.keys(TABLE_ACCESS).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('gives the console no write on any table but its own, and no read of the vault', () => {
    for (const [table, a] of Object.entries(TABLE_ACCESS)) {
      if (a.owner === 'console') continue;
      expect([table, a.appends?.console]).toEqual([table, undefined]);
      if (a.owner === 'vault') expect([table, a.reads?.console]).toEqual([table, undefined]);
    }
  });

  it('gives a reason for every grant beyond the owner', () => {
    for (const a of Object.values(TABLE_ACCESS)) {
      for (const why of [...Object.values(a.reads ?? {}), ...Object.values(a.appends ?? {})]) {
        expect(why.length).toBeGreaterThan(20);
      }
    }
  });

  it('revokes first, then grants the owner everything but DDL and others what they are given', () => {
    const sql = grantStatements(
      {
        messages: { owner: 'router', reads: { console: 'agents read messages here' } },
        audit_log: { owner: 'console', appends: { router: 'the router audits its actions' } },
      },
      ['messages', 'audit_log', 'not_listed'],
      'og_',
    );
    expect(sql[0]).toBe(
      'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "og_router", "og_console", "og_vault"',
    );
    expect(sql).toContain(
      'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public."messages" TO "og_router"',
    );
    expect(sql).toContain('GRANT SELECT ON TABLE public."messages" TO "og_console"');
    expect(sql).toContain('GRANT SELECT, INSERT ON TABLE public."audit_log" TO "og_router"');
    const grants = sql.filter((s) => s.startsWith('GRANT') && s.includes('TABLE'));
    expect(grants.join('\n')).not.toMatch(/not_listed|og_vault|TRUNCATE|REFERENCES|TRIGGER/);
    expect(
      sequenceGrantStatements(
        { audit_log: { owner: 'console', appends: { router: 'the router audits its actions' } } },
        [{ table: 'audit_log', sequence: 'public.audit_log_seq_seq' }],
        'og_',
      ),
    ).toEqual([
      'GRANT USAGE, SELECT ON SEQUENCE public.audit_log_seq_seq TO "og_console"',
      'GRANT USAGE, SELECT ON SEQUENCE public.audit_log_seq_seq TO "og_router"',
    ]);
  });
});
