import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CoreBankingAuthGuard } from './core-banking-auth.guard';
import { CoreBankingCardsService } from './core-banking-cards.service';
import { CoreBankingControlController } from './core-banking-control.controller';
import { CoreBankingOpenApiController } from './core-banking-openapi.controller';
import { CoreBankingScenarioService } from './core-banking-scenario.service';
import { CoreBankingState } from './core-banking-state.service';
import { CORE_BANKING_OPTIONS, coreBankingOptionsFrom } from './core-banking.config';
import type { CoreBankingSandboxOptions } from './core-banking.config';
import { CoreBankingController } from './core-banking.controller';
import { CoreEventsWebhookClient } from './core-events-webhook.client';
import { CoreEventsService } from './core-events.service';

const DEFAULT_OPTIONS: CoreBankingSandboxOptions = coreBankingOptionsFrom({});

/**
 * The core-banking stand-in under /core/v1. Import `CoreBankingModule.forRoot({ apiKey, … })` with
 * the sandbox's parsed config; a plain `CoreBankingModule` import uses the defaults (no webhook).
 */
@Module({
  controllers: [CoreBankingController, CoreBankingControlController, CoreBankingOpenApiController],
  providers: [
    CoreBankingState,
    CoreBankingAuthGuard,
    CoreBankingCardsService,
    CoreBankingScenarioService,
    CoreEventsService,
    CoreEventsWebhookClient,
    { provide: CORE_BANKING_OPTIONS, useValue: DEFAULT_OPTIONS },
  ],
  exports: [CoreBankingState, CoreEventsService],
})
export class CoreBankingModule {
  static forRoot(options: Partial<CoreBankingSandboxOptions> = {}): DynamicModule {
    // Dynamic providers are registered after the decorator's, so these options replace the default.
    return {
      module: CoreBankingModule,
      providers: [{ provide: CORE_BANKING_OPTIONS, useValue: { ...DEFAULT_OPTIONS, ...options } }],
    };
  }
}
