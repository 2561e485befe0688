import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppErrorFilter } from './app-error.filter';
import { HealthController, HealthRegistry } from './health';
import { TracingFlushOnShutdown } from './tracing-sdk';

/** Health, metrics and the error edge, the same in every app. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [
    HealthRegistry,
    TracingFlushOnShutdown,
    { provide: APP_FILTER, useClass: AppErrorFilter },
  ],
  exports: [HealthRegistry],
})
export class KitModule {}
