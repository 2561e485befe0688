import { Module } from '@nestjs/common';
import { TwilioApiController } from './twilio-api.controller';
import { TwilioAuthGuard } from './twilio-auth.guard';
import { TwilioControlController } from './twilio-control.controller';
import { TwilioInboundService } from './twilio-inbound.service';
import { TwilioMessagesService } from './twilio-messages.service';
import { TwilioOptOutsService } from './twilio-opt-outs.service';
import { TwilioScenarioService } from './twilio-scenario.service';
import { TwilioStatusCallbacksService } from './twilio-status-callbacks.service';
import { TwilioWebhookClient } from './twilio-webhook.client';

/** The Twilio stand-in: Messages API, signed status callbacks and inbound webhooks, control API. */
@Module({
  controllers: [TwilioApiController, TwilioControlController],
  providers: [
    TwilioAuthGuard,
    TwilioInboundService,
    TwilioMessagesService,
    TwilioOptOutsService,
    TwilioScenarioService,
    TwilioStatusCallbacksService,
    TwilioWebhookClient,
  ],
  // For the customer simulator: sends as the customer, reads what our gateway sent.
  exports: [TwilioInboundService, TwilioMessagesService],
})
export class TwilioSandboxModule {}
