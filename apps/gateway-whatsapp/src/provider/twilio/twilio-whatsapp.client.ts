import { TwilioCallError, classifyTwilioError } from '@omnigate/twilio';
import type { TwilioRestClient } from '@omnigate/twilio';
import { WhatsAppSendError } from '../../whatsapp.errors';
import { WhatsAppProvider } from '../whatsapp-provider.port';
import type { WhatsAppSendRequest, WhatsAppSendResult } from '../whatsapp-provider.port';
import { toTwilioWhatsApp } from './twilio-whatsapp.mapper';

/** Where Twilio reports this message's statuses: our public URL, with our message id in the query. */
export function whatsappStatusCallbackUrl(publicUrl: string, messageId: string): string {
  return `${publicUrl}/webhooks/twilio/whatsapp/status?mid=${encodeURIComponent(messageId)}`;
}

/**
 * WhatsApp through Twilio's Messages API: the shared SDK wrapper (@omnigate/twilio, the same one
 * the SMS gateway uses) with `whatsapp:` addresses; a template goes as a Content SID with its
 * variables {"1": ..., "2": ...}.
 */
export class TwilioWhatsAppClient extends WhatsAppProvider {
  readonly kind = 'twilio' as const;
  readonly hasServiceWindow = true;

  constructor(
    private readonly rest: TwilioRestClient,
    private readonly opts: { from: string; publicUrl: string },
  ) {
    super();
  }

  async send(req: WhatsAppSendRequest): Promise<WhatsAppSendResult> {
    const template = req.template;
    try {
      const m = await this.rest.createMessage({
        from: toTwilioWhatsApp(this.opts.from),
        to: toTwilioWhatsApp(req.to),
        statusCallback: whatsappStatusCallbackUrl(this.opts.publicUrl, req.messageId),
        ...(template
          ? {
              contentSid: template.name,
              contentVariables: Object.fromEntries(
                template.params.map((p, i) => [String(i + 1), p]),
              ),
            }
          : {
              body: req.text,
              mediaUrls: req.attachments.map((a) => a.ref).filter((r) => /^https?:\/\//i.test(r)),
            }),
      });
      return { providerMessageId: m.sid };
    } catch (e) {
      const f =
        e instanceof TwilioCallError
          ? { status: e.status, code: e.twilioCode }
          : { status: null, code: null };
      const c = classifyTwilioError(f, 'WHATSAPP');
      if (f.code === 63016) {
        throw new WhatsAppSendError('rejected', 'WHATSAPP.OUTSIDE_24H_WINDOW', c.reason, e);
      }
      throw new WhatsAppSendError(c.kind === 'retry' ? 'retry' : 'rejected', c.code, c.reason, e);
    }
  }

  override close(): Promise<void> {
    this.rest.close();
    return Promise.resolve();
  }
}
