import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration from the schema files. The same files run on
// PGlite and on PostgreSQL; keep them to SQL that PostgreSQL 15 accepts (PGlite is 18).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./libs/store/src/schema.ts', './libs/store/src/vault/vault.schema.ts'],
  out: './libs/store/migrations',
});
