import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, Streams, TransientError } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { MessagesRepository, SentLedger } from '@omnigate/store';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';
import { WhatsAppProvider } from '../provider/whatsapp-provider.port';
import { SentMessagesStore } from '../status/sent-messages.store';
import { WhatsAppStatusService } from '../status/whatsapp-status.service';
import { WhatsAppSendError } from '../whatsapp.errors';
import { whatsappMetrics } from '../whatsapp.metrics';
import { OUTSIDE_WINDOW_FAILURE, windowDecision } from '../window/service-window.rule';
import { ServiceWindowStore } from '../window/service-window.store';

/**
 * Consumes msg.out.v1.whatsapp and sends through the configured provider. Outside the 24-hour
 * window free text is never sent: the template goes if the message carries one, else a failed
 * status says why. Rejected → failed status, acknowledged; transient → retried with backoff.
 */
@Injectable()
export class WhatsAppSendHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('whatsapp-send');
  private readonly ledger: SentLedger;

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly consumers: BusConsumers,
    private readonly provider: WhatsAppProvider,
    private readonly statuses: WhatsAppStatusService,
    private readonly window: ServiceWindowStore,
    private readonly sent: SentMessagesStore,
    messages: MessagesRepository,
  ) {
    this.ledger = new SentLedger(messages);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: 'gateway-whatsapp-send',
      filterSubject: Subjects.outbound('whatsapp'),
      schema: OutboundMessageV1Schema,
      handle: (msg) => this.handle(msg),
      maxDeliver: this.config.WHATSAPP_SEND_MAX_ATTEMPTS,
      backoffMs: this.config.WHATSAPP_SEND_BACKOFF_MS,
      concurrency: this.config.WHATSAPP_SEND_CONCURRENCY,
      keyOf: (msg) => msg.conversationId,
    });
  }

  async handle(msg: OutboundMessageV1): Promise<void> {
    const to = msg.to.address.trim();
    const decision = windowDecision({
      hasServiceWindow: this.provider.hasServiceWindow,
      lastInboundAt: this.provider.hasServiceWindow
        ? await this.window.lastInboundAt(to)
        : undefined,
      now: Date.now(),
      windowMs: this.window.windowMs,
      hasTemplate: msg.template !== undefined,
    });
    if (decision === 'refuse') {
      await this.statuses.publish(msg.messageId, 'failed', { error: OUTSIDE_WINDOW_FAILURE });
      this.count('outside_window', msg, OUTSIDE_WINDOW_FAILURE.code);
      return;
    }
    const sentBefore = await this.ledger.providerIdOf(msg.messageId);
    if (sentBefore) {
      await this.statuses.publish(msg.messageId, 'queued', { providerMessageId: sentBefore });
      this.count('already_sent', msg);
      return;
    }
    let providerMessageId: string;
    try {
      ({ providerMessageId } = await this.provider.send({
        messageId: msg.messageId,
        to,
        text: msg.text,
        attachments: msg.attachments,
        ...(decision === 'template' ? { template: msg.template } : {}),
      }));
    } catch (e) {
      await this.onSendFailure(msg, e);
      return;
    }
    this.ledger.remember(msg.messageId, providerMessageId);
    await this.sent.remember(providerMessageId, msg.messageId);
    await this.statuses.publish(msg.messageId, 'queued', { providerMessageId });
    this.count(decision === 'template' ? 'sent_template' : 'sent', msg);
  }

  private async onSendFailure(msg: OutboundMessageV1, e: unknown): Promise<void> {
    if (!(e instanceof WhatsAppSendError) || e.kind === 'retry') {
      this.count('retry', msg, e instanceof WhatsAppSendError ? e.code : 'WHATSAPP.SEND_FAILED');
      throw new TransientError(
        'WHATSAPP.PROVIDER_UNAVAILABLE',
        'The WhatsApp provider did not take the message; will retry',
        e,
      );
    }
    await this.statuses.publish(msg.messageId, 'failed', {
      error: { code: e.code, reason: e.reason },
    });
    this.count('rejected', msg, e.code);
  }

  private count(outcome: string, msg: OutboundMessageV1, code?: string): void {
    whatsappMetrics.sends.inc({ provider: this.provider.kind, outcome });
    this.logger.log({ msg: 'whatsapp send', outcome, messageId: msg.messageId, code });
  }
}
