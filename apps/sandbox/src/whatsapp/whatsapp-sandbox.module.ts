import { Module } from '@nestjs/common';
import { WhatsAppAuthGuard } from './whatsapp-auth.guard';
import { WhatsAppControlController } from './whatsapp-control.controller';
import { WhatsAppGraphController } from './whatsapp-graph.controller';
import { WhatsAppMessagesService } from './whatsapp-messages.service';
import { WhatsAppStateService } from './whatsapp-state.service';
import { WhatsAppWebhookClient } from './whatsapp-webhook.client';

/** The WhatsApp Cloud API stand-in: Graph send + media, signed webhooks, control API. */
@Module({
  // The control controller first: its static /sandbox/whatsapp/... routes must not be read as /:version/:id.
  controllers: [WhatsAppControlController, WhatsAppGraphController],
  providers: [
    WhatsAppAuthGuard,
    WhatsAppMessagesService,
    WhatsAppStateService,
    WhatsAppWebhookClient,
  ],
  // For the customer simulator: sends as the customer, reads what our gateway sent.
  exports: [WhatsAppMessagesService, WhatsAppStateService],
})
export class WhatsAppSandboxModule {}
