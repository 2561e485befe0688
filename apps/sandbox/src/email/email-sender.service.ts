import { Inject, Injectable } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { AppError } from '@omnigate/kit';
import { EMAIL_SANDBOX_CONFIG } from './email-sandbox.config';
import type { EmailSandboxConfig } from './email-sandbox.config';

export interface CustomerMail {
  from: string;
  fromName?: string;
  to: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: Array<{ filename: string; contentType: string; contentBase64: string }>;
  /** DKIM-sign with the sandbox's key (or this one) for the From domain. */
  dkim?: boolean | { privateKey: string; selector?: string; domain?: string };
  /** Send these bytes as they are (malformed mail, bounces); envelope from `from` and `to`. */
  raw?: string;
  envelopeFrom?: string;
}

/** What the gateway's SMTP listener answered (a refusal is an answer too, not an error). */
export interface SendResult {
  accepted: boolean;
  responseCode: number | null;
  response: string;
  messageId: string | null;
}

/** The gateway's SMTP listener did not answer at all: 503. */
export class EmailGatewayUnreachableError extends AppError {
  constructor(cause: unknown) {
    super('SANDBOX.SMTP_UNAVAILABLE', "The gateway's SMTP listener could not be reached", {
      cause,
    });
  }
}

/** Delivers a customer's mail to the gateway's SMTP listener through nodemailer, as an MTA would. */
@Injectable()
export class EmailSenderService {
  constructor(@Inject(EMAIL_SANDBOX_CONFIG) private readonly config: EmailSandboxConfig) {}

  async send(req: CustomerMail): Promise<SendResult> {
    const url = new URL(this.config.SANDBOX_EMAIL_GATEWAY_SMTP);
    const transport = createTransport({
      host: url.hostname,
      port: Number(url.port || 25),
      secure: false,
      ignoreTLS: true,
      name: 'mx.customer.example',
    });
    try {
      const envelope = { from: req.envelopeFrom ?? req.from, to: [req.to] };
      const mail: Mail.Options = req.raw
        ? { envelope, raw: req.raw }
        : {
            envelope,
            from: req.fromName ? { name: req.fromName, address: req.from } : req.from,
            to: req.to,
            subject: req.subject ?? '',
            text: req.text,
            html: req.html,
            messageId: req.messageId,
            inReplyTo: req.inReplyTo,
            references: req.references,
            attachments: req.attachments?.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: Buffer.from(a.contentBase64, 'base64'),
            })),
            dkim: this.dkimOf(req),
          };
      const info = (await transport.sendMail(mail)) as { messageId: string; response: string };
      return {
        accepted: true,
        responseCode: 250,
        response: info.response,
        messageId: info.messageId,
      };
    } catch (e) {
      const err = e as { responseCode?: number; response?: string };
      if (typeof err.responseCode !== 'number') throw new EmailGatewayUnreachableError(e);
      return {
        accepted: false,
        responseCode: err.responseCode,
        response: err.response ?? '',
        messageId: null,
      };
    } finally {
      transport.close();
    }
  }

  private dkimOf(req: CustomerMail): Mail.Options['dkim'] {
    if (!req.dkim) return undefined;
    const own = typeof req.dkim === 'object' ? req.dkim : null;
    const privateKey = own?.privateKey ?? this.config.SANDBOX_EMAIL_DKIM_PRIVATE_KEY;
    if (!privateKey) {
      throw new Error('no DKIM key: set SANDBOX_EMAIL_DKIM_PRIVATE_KEY or pass dkim.privateKey');
    }
    return {
      domainName: own?.domain ?? req.from.slice(req.from.lastIndexOf('@') + 1),
      keySelector: own?.selector ?? this.config.SANDBOX_EMAIL_DKIM_SELECTOR,
      privateKey,
    };
  }
}
