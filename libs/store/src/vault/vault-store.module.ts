import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { openDatabase } from '../database';
import type { DatabaseConfig } from '../database';
import { DATABASE, DbHandle } from '../db-handle';
import { VaultAuditRepository } from './vault-audit.repository';
import { VaultCardsRepository } from './vault-cards.repository';

/**
 * The vault app's database access and nothing else: its own tables (vault_cards, vault_refs,
 * vault_audit), no data keys, no other app's repositories. Not global: only the module that
 * imports it gets these providers.
 */
@Module({})
export class VaultStoreModule {
  static forRoot(config: Omit<DatabaseConfig, 'protection'>): DynamicModule {
    // Whatever the caller passes, the vault never receives the router's key-encryption keys.
    const { url, dataDir, poolSize } = config;
    return {
      module: VaultStoreModule,
      providers: [
        { provide: DATABASE, useFactory: () => openDatabase({ url, dataDir, poolSize }) },
        DbHandle,
        VaultCardsRepository,
        VaultAuditRepository,
      ],
      exports: [DbHandle, VaultCardsRepository, VaultAuditRepository],
    };
  }
}
