export * from './schema';
export * from './database';
export * from './db-errors';
export * from './db-handle';
// One store module per owning app, none global: each exports only what its app may use.
export * from './router/router-store.module';
export * from './console/console-store.module';
export * from './console/console-sessions.repository';
export * from './console/login-failures.repository';
export * from './console/console-totp.repository';
export { STORE_CONFIG } from './store-providers';
export * from './repositories/conversations.repository';
export * from './repositories/messages-reader.repository';
export * from './repositories/messages.repository';
export * from './repositories/message-view.mapper';
export * from './repositories/identities.repository';
export * from './repositories/identity-change-feed';
export * from './repositories/tickets.repository';
export * from './protection/data-protection';
export * from './protection/row-cipher';
export * from './email/email-attachments.repository';
export * from './compliance.schema';
export * from './repositories/consents.repository';
export * from './repositories/retention.repository';
export * from './protection/customer-data.service';
export * from './protection/erasure-targets.repository';
export * from './repositories/audit-log.repository';
export {
  CHAIN_BREAK_EXPLAINED,
  ChainVerifier,
  GENESIS_HASH,
  auditHash,
  verifyAuditChain,
} from './repositories/audit-chain';
export type { ChainBreakReason, ChainVerification } from './repositories/audit-chain';
export * from './repositories/fraud-alerts.repository';
export * from './repositories/conversation-facts.repository';
export * from './repositories/agents.repository';
export * from './repositories/conversation-routing.repository';
export * from './repositories/approvals.repository';
export * from './repositories/identity-proofs.repository';
export * from './repositories/step-up-approvals.repository';
export * from './migrate/db-roles';
export * from './migrate/table-access';
export { migrateDatabase, journalEntries } from './migrate/migrate-database';
export type { MigrateOptions, MigrateResult } from './migrate/migrate-database';
export * from './vault';
export { BENCH_STATS_ENV } from './stats/bench-stats';
export type { StatementSnapshot, TracedStatement } from './stats/statement-counter';
// The journey projection (issue 15): the router writes it, the console's dashboard reads it.
export * from './journeys';
// PGlite served over the PostgreSQL protocol: npm start's database process (tools/pglite-server.ts).
export { startPgliteServer } from './pglite-server/pglite-server.service';
export type {
  PgliteServerOptions,
  RunningPgliteServer,
} from './pglite-server/pglite-server.service';
export { PgliteServerError } from './pglite-server/pglite-server.errors';
export type { PgliteServerErrorCode } from './pglite-server/pglite-server.errors';
