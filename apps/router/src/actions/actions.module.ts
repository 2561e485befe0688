import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { ClocksModule } from '../clocks/clocks.module';
import { CoreBankingModule } from '../core-banking/core-banking.module';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { NotifyModule } from '../notify/notify.module';
import { SessionModule } from '../session/session.module';
import { ApprovalsService } from './approvals.service';
import { CardActionsService } from './card-actions.service';
import { TicketActionsService } from './ticket-actions.service';
import { UnblockRefusalService } from './unblock-refusal.service';

/** Agents' actions on cards and tickets, behind the fraud guard and supervisors' approvals. */
@Module({
  imports: [
    RouterStoreModule,
    SessionModule,
    CoreBankingModule,
    EventsModule,
    IdentityModule,
    NotifyModule,
    ClocksModule,
  ],
  providers: [CardActionsService, TicketActionsService, ApprovalsService, UnblockRefusalService],
  exports: [CardActionsService, TicketActionsService, ApprovalsService],
})
export class ActionsModule {}
