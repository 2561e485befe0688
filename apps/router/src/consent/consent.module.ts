import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { OutboundModule } from '../outbound/outbound.module';
import { AppConsentRpcHandler } from './app-consent-rpc.handler';
import { AppConsentService } from './app-consent.service';
import { ConsentConfirmationService } from './consent-confirmation.service';
import { ConsentEventsService } from './consent-events.service';
import { ConsentService } from './consent.service';

/** Consent per channel and purpose: STOP/START, the app's choices, the gateways' lists. */
@Module({
  imports: [IdentityModule, EventsModule, OutboundModule],
  controllers: [AppConsentRpcHandler],
  providers: [ConsentService, ConsentEventsService, ConsentConfirmationService, AppConsentService],
  exports: [ConsentService, ConsentConfirmationService],
})
export class ConsentModule {}
