export * from './vault.schema';
export * from './vault-cards.repository';
export * from './vault-audit.repository';
export * from './vault-store.module';
