import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ROUTER_CONFIG } from './router.config';
import type { RouterConfig } from './router.config';

/**
 * The parsed configuration for every feature: global, as config is read everywhere and a feature
 * that forgot to import it would fail only at start. It is the only global module of the router.
 */
@Module({})
export class RouterConfigModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterConfigModule,
      global: true,
      providers: [{ provide: ROUTER_CONFIG, useValue: config }],
      exports: [ROUTER_CONFIG],
    };
  }
}
