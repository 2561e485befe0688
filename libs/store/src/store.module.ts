import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { openDatabase } from './database';
import type { DatabaseConfig } from './database';
import { DATABASE, DbHandle } from './db-handle';
import { ConversationsRepository } from './repositories/conversations.repository';
import { MessagesRepository } from './repositories/messages.repository';
import { OptOutsRepository } from './repositories/opt-outs.repository';
import { IdentitiesRepository } from './repositories/identities.repository';
import { TicketsRepository } from './repositories/tickets.repository';
import { COMPLIANCE_REPOSITORIES } from './repositories/compliance.providers';
import { ROUTING_REPOSITORIES } from './repositories/routing.providers';
import { IDENTITY_REPOSITORIES } from './repositories/identity.providers';
import { ACTION_REPOSITORIES } from './repositories/actions.providers';
import { LocalKms, KmsPort } from '@omnigate/crypto';
import { DATA_INDEX_KEY, DataProtection } from './protection/data-protection';
import { CustomerDataService } from './protection/customer-data.service';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { CardVault } from './protection/card-vault';

/** The KMS and blind-index key from configuration; a cloud KMS replaces the `KmsPort` provider. */
function protectionProviders(config: DatabaseConfig) {
  const p = config.protection;
  if (!p) return [];
  const indexKey = Buffer.from(p.indexKey, 'base64');
  if (indexKey.length !== 32) throw new Error('DATA_INDEX_KEY must be 32 bytes, base64');
  return [
    { provide: KmsPort, useValue: LocalKms.fromConfig(p.keks) },
    { provide: DATA_INDEX_KEY, useValue: indexKey },
  ];
}

@Module({})
export class StoreModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return {
      module: StoreModule,
      global: true,
      providers: [
        { provide: DATABASE, useFactory: () => openDatabase(config) },
        DbHandle,
        ...protectionProviders(config),
        DataProtection,
        AuditLogRepository,
        CustomerDataService,
        CardVault,
        ConversationsRepository,
        MessagesRepository,
        OptOutsRepository,
        IdentitiesRepository,
        TicketsRepository,
        ...COMPLIANCE_REPOSITORIES,
        ...ROUTING_REPOSITORIES,
        ...IDENTITY_REPOSITORIES,
        ...ACTION_REPOSITORIES,
      ],
      exports: [
        DbHandle,
        DataProtection,
        AuditLogRepository,
        CustomerDataService,
        CardVault,
        ConversationsRepository,
        MessagesRepository,
        OptOutsRepository,
        IdentitiesRepository,
        TicketsRepository,
        ...COMPLIANCE_REPOSITORIES,
        ...ROUTING_REPOSITORIES,
        ...IDENTITY_REPOSITORIES,
        ...ACTION_REPOSITORIES,
      ],
    };
  }
}
