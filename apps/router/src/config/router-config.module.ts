import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { databaseConfigFrom } from '@omnigate/kit';
import { STORE_CONFIG } from '@omnigate/store';
import { ROUTER_CONFIG } from './router.config';
import type { RouterConfig } from './router.config';

/**
 * The parsed configuration for every feature: global, as config is read everywhere and a feature
 * that forgot to import it would fail only at start. It is the only global module of the router;
 * it also provides the store's configuration (STORE_CONFIG) to the router's RouterStoreModule.
 */
@Module({})
export class RouterConfigModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterConfigModule,
      global: true,
      providers: [
        { provide: ROUTER_CONFIG, useValue: config },
        // Read by the one RouterStoreModule every feature that touches the database imports.
        { provide: STORE_CONFIG, useValue: databaseConfigFrom(config) },
      ],
      exports: [ROUTER_CONFIG, STORE_CONFIG],
    };
  }
}
