/**
 * The database roles: one per app that holds data. Gateways have none (they hold no database).
 * Role names are cluster-wide on PostgreSQL; DB_ROLE_PREFIX keeps two installations apart.
 */
export const DB_ROLES = ['router', 'console', 'vault'] as const;
export type DbRole = (typeof DB_ROLES)[number];

export const DEFAULT_ROLE_PREFIX = 'omnigate_';

const PREFIX = /^[a-z][a-z0-9_]{0,30}$/;

export function dbRoleName(role: DbRole, prefix = DEFAULT_ROLE_PREFIX): string {
  if (!PREFIX.test(prefix)) {
    throw new Error(
      'DB_ROLE_PREFIX must be lowercase letters, digits or _, starting with a letter',
    );
  }
  return `${prefix}${role}`;
}

/** The same PostgreSQL URL, logging in as `user` (the password, if any, is the role's own). */
export function urlAsRole(url: string, user: string, password?: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password ?? '';
  return u.toString();
}
