import { Module } from '@nestjs/common';
import { RouterStoreModule } from '@omnigate/store';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { OutboundModule } from '../outbound/outbound.module';
import { AppConsentRpcHandler } from './app-consent-rpc.handler';
import { AppConsentService } from './app-consent.service';
import { ConsentConfirmationService } from './consent-confirmation.service';
import { ConsentEventsService } from './consent-events.service';
import { ConsentService } from './consent.service';
import { CustomerConsentsRpcHandler } from './customer-consents-rpc.handler';
import { CustomerConsentsService } from './customer-consents.service';

/** Consent per channel and purpose: STOP/START, the app's choices, the gateways' lists. */
@Module({
  imports: [RouterStoreModule, IdentityModule, EventsModule, OutboundModule],
  controllers: [AppConsentRpcHandler, CustomerConsentsRpcHandler],
  providers: [
    ConsentService,
    ConsentEventsService,
    ConsentConfirmationService,
    AppConsentService,
    CustomerConsentsService,
  ],
  exports: [ConsentService, ConsentConfirmationService],
})
export class ConsentModule {}
