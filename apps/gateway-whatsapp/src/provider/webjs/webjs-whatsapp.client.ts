import { Injectable } from '@nestjs/common';
import { SentMessagesStore } from '../../status/sent-messages.store';
import { WhatsAppSendError } from '../../whatsapp.errors';
import { WhatsAppProvider } from '../whatsapp-provider.port';
import type { WhatsAppSendRequest, WhatsAppSendResult } from '../whatsapp-provider.port';
import { WebjsConnection } from './webjs-connection.service';
import { chatIdOf } from './webjs.mapper';

/**
 * Sends from the linked device (client.sendMessage). A person's own WhatsApp has no 24-hour rule;
 * a template is sent as its text. Attachment links are appended to the text (uploading media from
 * a linked device is left out on purpose: best effort channel). Not ready → retry later.
 */
@Injectable()
export class WebjsWhatsAppClient extends WhatsAppProvider {
  readonly kind = 'webjs' as const;
  readonly hasServiceWindow = false;

  constructor(
    private readonly connection: WebjsConnection,
    private readonly sent: SentMessagesStore,
  ) {
    super();
  }

  async send(req: WhatsAppSendRequest): Promise<WhatsAppSendResult> {
    if (!this.connection.isReady()) {
      throw new WhatsAppSendError(
        'retry',
        'WHATSAPP.WEBJS_NOT_READY',
        'The linked WhatsApp device is not connected; will retry',
      );
    }
    const links = req.attachments.map((a) => a.ref).filter((r) => /^https?:\/\//i.test(r));
    const text = [req.text, ...links].join('\n');
    let id: string;
    try {
      id = (await this.connection.sendText(chatIdOf(req.to), text)).id._serialized;
    } catch (e) {
      throw new WhatsAppSendError(
        'retry',
        'WHATSAPP.WEBJS_SEND_FAILED',
        'WhatsApp Web did not take the message; will retry',
        e,
      );
    }
    await this.sent.remember(id, req.messageId);
    await this.connection.flushEarlyAcks(id);
    return { providerMessageId: id };
  }
}
