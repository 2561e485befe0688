import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Console sessions, server-side: a token names its row, and every request and socket checks the
 * row (logout, a role change and an admin's revoke end a session at once, on every instance).
 * The id is random (32 bytes); only its SHA-256 is stored, so a database read gives no token.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    /** base64url SHA-256 of the session id carried in the token. */
    idHash: text('id_hash').primaryKey(),
    agentId: text('agent_id').notNull(),
    /** The role and queues when issued: a local account whose role changed since is revoked. */
    role: text('role').notNull(),
    queues: jsonb('queues').$type<string[]>().notNull(),
    /** 'local' (argon2 account) or 'oidc'. */
    source: text('source').notNull(),
    /** OIDC: preferred_username (shown, never an id); local: null. */
    displayName: text('display_name'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    /** logout | role_changed | account_removed | admin */
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('console_sessions_agent_idx').on(t.agentId)],
);

/**
 * Failed console logins per key (`account:<id>` or `address:<ip>`), shared by every instance:
 * failures within the window, and the lockout they caused.
 */
export const consoleLoginFailures = pgTable('console_login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: ts('window_started_at').notNull(),
  lockedUntil: ts('locked_until'),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * TOTP second factor of console accounts (RFC 6238). `secret` is sealed with the KMS (DATA_KEKS)
 * when encryption at rest is on (`kek:<kekId>:<blob>`); `lastStep` refuses a code used twice.
 */
export const consoleTotp = pgTable('console_totp', {
  agentId: text('agent_id').primaryKey(),
  secret: text('secret').notNull(),
  enrolledAt: ts('enrolled_at').notNull(),
  lastStep: bigint('last_step', { mode: 'number' }),
});
