import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { DatabaseConfig } from '../database';
import { CONNECTION_PROVIDERS, KMS_PROVIDER, storeConfig } from '../store-providers';
import { DataOpener } from '../protection/data-opener';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { ConversationsReader } from '../repositories/conversations.repository';
import { MessagesReader } from '../repositories/messages-reader.repository';
import { EmailAttachmentsReader } from '../email/email-attachments.repository';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { ConsoleTotpRepository } from './console-totp.repository';
import { LoginFailuresRepository } from './login-failures.repository';
import { JourneySummaryRepository } from '../journeys/journey-summary.repository';

const CONSOLE_STORE = [
  DataOpener,
  ConversationsReader,
  MessagesReader,
  EmailAttachmentsReader,
  AuditLogRepository,
  // The journey dashboard's counts (read grants on the journey_* tables).
  JourneySummaryRepository,
  // The console's own tables: sessions, login lockouts, TOTP secrets (sealed with the KMS).
  ConsoleSessionsRepository,
  LoginFailuresRepository,
  ConsoleTotpRepository,
];

/**
 * The console's database access: read-only views of what agents see (conversations with their
 * customer, messages and statuses, email attachments), the data keys to open them (never to make,
 * rewrap or destroy one; no blind-index key), and its own audit log. Everything the console
 * changes in the router's tables goes to the router as a request (libs/contracts RouterRequests).
 * On PostgreSQL its DATABASE_URL logs in as `omnigate_console`, whose SELECT grants are these
 * tables (libs/store migrate/table-access.ts). Not global.
 */
@Module({
  providers: [...CONNECTION_PROVIDERS, KMS_PROVIDER, ...CONSOLE_STORE],
  // No DbHandle: the console's code reaches the database only through these views.
  exports: CONSOLE_STORE,
})
export class ConsoleStoreModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return { module: ConsoleStoreModule, providers: [storeConfig(config)] };
  }
}
