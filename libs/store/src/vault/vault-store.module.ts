import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { DatabaseConfig } from '../database';
import { DbHandle } from '../db-handle';
import { CONNECTION_PROVIDERS, storeConfig } from '../store-providers';
import { VaultAuditRepository } from './vault-audit.repository';
import { VaultCardsRepository } from './vault-cards.repository';

/**
 * The vault app's database access and nothing else: its own tables (vault_cards, vault_refs,
 * vault_audit), no data keys, no other app's repositories. Not global: only the module that
 * imports it gets these providers. On PostgreSQL it logs in as `omnigate_vault`.
 */
@Module({
  providers: [...CONNECTION_PROVIDERS, VaultCardsRepository, VaultAuditRepository],
  exports: [DbHandle, VaultCardsRepository, VaultAuditRepository],
})
export class VaultStoreModule {
  static forRoot(config: Omit<DatabaseConfig, 'protection'>): DynamicModule {
    // Whatever the caller passes, the vault never receives the router's key-encryption keys.
    const { url, dataDir, poolSize } = config;
    return { module: VaultStoreModule, providers: [storeConfig({ url, dataDir, poolSize })] };
  }
}
