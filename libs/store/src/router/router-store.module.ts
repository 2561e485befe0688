import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { DatabaseConfig } from '../database';
import { DbHandle } from '../db-handle';
import {
  CONNECTION_PROVIDERS,
  INDEX_KEY_PROVIDER,
  KMS_PROVIDER,
  storeConfig,
} from '../store-providers';
import { DataOpener } from '../protection/data-opener';
import { DataProtection } from '../protection/data-protection';
import { CustomerDataService } from '../protection/customer-data.service';
import { ErasureTargetsRepository } from '../protection/erasure-targets.repository';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { ConversationsRepository } from '../repositories/conversations.repository';
import { MessagesRepository } from '../repositories/messages.repository';
import { IdentitiesRepository } from '../repositories/identities.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { EmailAttachmentsRepository } from '../email/email-attachments.repository';
import { COMPLIANCE_REPOSITORIES } from '../repositories/compliance.providers';
import { ROUTING_REPOSITORIES } from '../repositories/routing.providers';
import { IDENTITY_REPOSITORIES } from '../repositories/identity.providers';
import { ACTION_REPOSITORIES } from '../repositories/actions.providers';
import { JourneysRepository } from '../journeys/journeys.repository';
import { IdentityChangeFeed } from '../repositories/identity-change-feed';

/** What the router may use: the tables it owns (libs/store migrate/table-access.ts) and audit appends. */
const ROUTER_STORE = [
  DataProtection,
  AuditLogRepository,
  CustomerDataService,
  ErasureTargetsRepository,
  ConversationsRepository,
  MessagesRepository,
  IdentitiesRepository,
  TicketsRepository,
  EmailAttachmentsRepository,
  ...COMPLIANCE_REPOSITORIES,
  ...ROUTING_REPOSITORIES,
  ...IDENTITY_REPOSITORIES,
  ...ACTION_REPOSITORIES,
  JourneysRepository,
  IdentityChangeFeed,
];

/**
 * The router's database access: the owner's repositories (they write), the data keys with the
 * blind-index key, export and erasure. Not global: only a module that imports it gets these
 * providers. `RouterStoreModule.forRoot(config)` carries its configuration; a feature module may
 * import the static `RouterStoreModule` (one instance per app) when the app provides STORE_CONFIG
 * from its configuration module. On PostgreSQL its DATABASE_URL logs in as `omnigate_router`,
 * whose grants are exactly these tables plus appends to the console's audit log.
 */
@Module({
  providers: [
    ...CONNECTION_PROVIDERS,
    KMS_PROVIDER,
    INDEX_KEY_PROVIDER,
    // One cache of unwrapped keys: the readers' DataOpener is the owner's DataProtection.
    { provide: DataOpener, useExisting: DataProtection },
    ...ROUTER_STORE,
  ],
  exports: [DbHandle, DataOpener, ...ROUTER_STORE],
})
export class RouterStoreModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return { module: RouterStoreModule, providers: [storeConfig(config)] };
  }
}
