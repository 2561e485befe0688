import { Injectable, Logger } from '@nestjs/common';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutboundSender, SendResult } from '@omnigate/gateway-kit';
import { WhatsAppProvider } from '../provider/whatsapp-provider.port';
import { SentMessagesStore } from '../status/sent-messages.store';
import { WhatsAppSendError } from '../whatsapp.errors';
import { OUTSIDE_WINDOW_FAILURE, windowDecision } from '../window/service-window.rule';
import { ServiceWindowStore } from '../window/service-window.store';

/**
 * The WhatsApp side of the kit's send loop, its OutboundSender (msg.out.v1.whatsapp), through
 * the configured provider. Outside the 24-hour window free text is never sent: the template goes
 * if the message carries one, else a failed status says why. The provider's id is kept for its
 * later statuses.
 */
@Injectable()
export class WhatsAppSender implements OutboundSender {
  readonly acceptedState = 'queued';
  private readonly logger = new Logger('whatsapp-send');

  constructor(
    private readonly provider: WhatsAppProvider,
    private readonly window: ServiceWindowStore,
    private readonly sent: SentMessagesStore,
  ) {}

  recipientOf(msg: OutboundMessageV1): string {
    return msg.to.address.trim();
  }

  async send(msg: OutboundMessageV1, to: string): Promise<SendResult> {
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
      const { code, reason } = OUTSIDE_WINDOW_FAILURE;
      throw new WhatsAppSendError('rejected', code, reason);
    }
    const { providerMessageId } = await this.provider.send({
      messageId: msg.messageId,
      to,
      text: msg.text,
      attachments: msg.attachments,
      ...(decision === 'template' ? { template: msg.template } : {}),
    });
    // Sent already: a failure here must not make the loop send again; only statuses that name
    // nothing but the provider's id would be lost.
    await this.sent.remember(providerMessageId, msg.messageId).catch((e: unknown) =>
      this.logger.warn({
        msg: 'provider id not kept; its statuses will be unknown',
        messageId: msg.messageId,
        code: (e as { code?: string }).code,
      }),
    );
    return { providerMessageId, ...(decision === 'template' ? { outcome: 'sent_template' } : {}) };
  }
}
