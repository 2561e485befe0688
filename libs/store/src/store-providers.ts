import type { Provider } from '@nestjs/common';
import { KmsPort, LocalKms } from '@omnigate/crypto';
import { openDatabase } from './database';
import type { DatabaseConfig } from './database';
import { DATABASE, DbHandle } from './db-handle';
import { DATA_INDEX_KEY } from './protection/data-protection';

/**
 * The database configuration a store module reads. `XStoreModule.forRoot(config)` provides it to
 * that module alone; an app whose feature modules each import the static `RouterStoreModule`
 * provides it once from its own (global) configuration module instead.
 */
export const STORE_CONFIG = Symbol('STORE_CONFIG');

/**
 * The connection of one app's store module: its own pool (on PostgreSQL, logged in as the app's
 * role from its DATABASE_URL) and the injectable handle. Never the key-encryption keys.
 */
export const CONNECTION_PROVIDERS: Provider[] = [
  {
    provide: DATABASE,
    inject: [STORE_CONFIG],
    useFactory: ({ url, dataDir, poolSize }: DatabaseConfig) =>
      openDatabase({ url, dataDir, poolSize }),
  },
  DbHandle,
];

/** The KMS from configuration (null: encryption at rest off); a cloud KMS replaces this provider. */
export const KMS_PROVIDER: Provider = {
  provide: KmsPort,
  inject: [STORE_CONFIG],
  useFactory: (c: DatabaseConfig): KmsPort | null =>
    c.protection ? LocalKms.fromConfig(c.protection.keks) : null,
};

/** The blind-index key: only an app that looks addresses up (the router) gets this provider. */
export const INDEX_KEY_PROVIDER: Provider = {
  provide: DATA_INDEX_KEY,
  inject: [STORE_CONFIG],
  useFactory: (c: DatabaseConfig): Buffer | null => {
    // Without it DataProtection refuses to start when the KEKs are set (it cannot find addresses).
    if (!c.protection?.indexKey) return null;
    const indexKey = Buffer.from(c.protection.indexKey, 'base64');
    if (indexKey.length !== 32) throw new Error('DATA_INDEX_KEY must be 32 bytes, base64');
    return indexKey;
  },
};

/** What `forRoot(config)` adds to a store module: its configuration, for it alone. */
export const storeConfig = (config: DatabaseConfig): Provider => ({
  provide: STORE_CONFIG,
  useValue: config,
});
