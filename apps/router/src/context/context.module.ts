import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ClocksModule } from '../clocks/clocks.module';
import { CoreBankingModule } from '../core-banking/core-banking.module';
import { SessionModule } from '../session/session.module';
import { IdentityCacheModule } from '../identity/identity-cache.module';
import { CustomerContextService } from './customer-context.service';

/** The shared customer context of a conversation: who, channels, cards, transactions, tickets. */
@Module({
  imports: [RouterStoreModule, SessionModule, CoreBankingModule, ClocksModule, IdentityCacheModule],
  providers: [CustomerContextService],
  exports: [CustomerContextService],
})
export class ContextModule {}
