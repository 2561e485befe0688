import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { CoreBankingModule } from '../core-banking/core-banking.module';
import { IdentityModule } from '../identity/identity.module';
import { CoreEventsHandler } from './core-events.handler';

/** Core-banking signals from the bus: fraud alerts, unblocks, phone changes. */
@Module({
  imports: [RouterStoreModule, CoreBankingModule, IdentityModule],
  controllers: [CoreEventsHandler],
})
export class FraudModule {}
