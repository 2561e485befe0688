import { DB_ROLES, dbRoleName } from './db-roles';
import type { DbRole } from './db-roles';
import type { TableAccess } from './table-access';

const OWNER = 'SELECT, INSERT, UPDATE, DELETE';
const APPEND = 'SELECT, INSERT';

const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/**
 * The GRANT statements for the tables that exist, from TABLE_ACCESS: everything revoked first, so
 * running it again after a change of the table leaves exactly what the table says. Pure.
 */
export function grantStatements(
  access: Record<string, TableAccess>,
  existingTables: string[],
  prefix: string,
): string[] {
  const roles = DB_ROLES.map((r) => q(dbRoleName(r, prefix)));
  const out = [
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${roles.join(', ')}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${roles.join(', ')}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${roles.join(', ')}`,
  ];
  for (const table of existingTables) {
    const a = access[table];
    if (!a) continue;
    const grant = (privileges: string, role: DbRole) =>
      out.push(`GRANT ${privileges} ON TABLE public.${q(table)} TO ${q(dbRoleName(role, prefix))}`);
    grant(OWNER, a.owner);
    for (const role of Object.keys(a.reads ?? {}) as DbRole[]) grant('SELECT', role);
    for (const role of Object.keys(a.appends ?? {}) as DbRole[]) grant(APPEND, role);
  }
  return out;
}

/** Tables in the database with no owner in TABLE_ACCESS (migrate refuses to finish with any). */
export function tablesWithoutOwner(
  access: Record<string, TableAccess>,
  existingTables: string[],
): string[] {
  return existingTables.filter((t) => !access[t]);
}

/** Serial and identity columns: the roles that insert into the table need their sequence. */
export function sequenceGrantStatements(
  access: Record<string, TableAccess>,
  sequences: Array<{ table: string; sequence: string }>,
  prefix: string,
): string[] {
  const out: string[] = [];
  for (const { table, sequence } of sequences) {
    const a = access[table];
    if (!a) continue;
    const writers = [a.owner, ...(Object.keys(a.appends ?? {}) as DbRole[])];
    for (const role of writers) {
      out.push(`GRANT USAGE, SELECT ON SEQUENCE ${sequence} TO ${q(dbRoleName(role, prefix))}`);
    }
  }
  return out;
}
