/**
 * `npm run migrate`: brings the database to this build's schema, creates the app roles (router,
 * console, vault; gateways have none) and grants each what libs/store table-access.ts says.
 * Apps never run DDL; run this first (`npm start` does; in production a Job before the rollout).
 *
 *   DATABASE_URL        postgres://… as a role that may run DDL and create roles; unset: the
 *                       embedded PGlite under DATA_DIR (default .data)
 *   DB_ROLE_PREFIX      role names are <prefix>router, <prefix>console, <prefix>vault
 *                       (default omnigate_)
 *   DB_PASSWORD_ROUTER, DB_PASSWORD_CONSOLE, DB_PASSWORD_VAULT
 *                       set the roles' login passwords (PostgreSQL); unset: left as they are
 */
import { z } from 'zod';
import { CommonEnv, databaseConfigFrom, parseConfig } from '@omnigate/kit';
import { DEFAULT_ROLE_PREFIX, migrateDatabase } from '@omnigate/store';
import type { MigrateResult } from '@omnigate/store';

const MigrateEnv = CommonEnv.extend({
  DB_ROLE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits or _, starting with a letter')
    .default(DEFAULT_ROLE_PREFIX),
  DB_PASSWORD_ROUTER: z.string().min(12, 'at least 12 characters').optional(),
  DB_PASSWORD_CONSOLE: z.string().min(12, 'at least 12 characters').optional(),
  DB_PASSWORD_VAULT: z.string().min(12, 'at least 12 characters').optional(),
});

export async function runMigrate(env: NodeJS.ProcessEnv): Promise<MigrateResult> {
  const config = parseConfig(MigrateEnv, env);
  const db = databaseConfigFrom(config);
  return migrateDatabase({
    url: db.url,
    dataDir: db.dataDir,
    rolePrefix: config.DB_ROLE_PREFIX,
    passwords: {
      router: config.DB_PASSWORD_ROUTER,
      console: config.DB_PASSWORD_CONSOLE,
      vault: config.DB_PASSWORD_VAULT,
    },
  });
}

export function describeMigration(r: MigrateResult): string {
  const applied = r.migrations - r.appliedBefore;
  return (
    `database at migration ${r.migrations} (${applied > 0 ? `${applied} applied now` : 'nothing to apply'}); ` +
    `${r.tables} tables, roles ${r.roles.join(', ')} granted`
  );
}
