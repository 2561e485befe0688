import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { MailTransport } from './mail-transport.port';
import type { OutgoingMail } from './mail-transport.port';
import { classifySendError } from './smtp-errors.mapper';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (465). */
  secure: boolean;
  /** STARTTLS required (587); off only for a loopback sink. */
  requireTls: boolean;
  user?: string;
  pass?: string;
  timeoutMs: number;
}

/** The only file that knows nodemailer: SMTP submission with TLS and login, pooled connections. */
export class NodemailerClient extends MailTransport {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(o: SmtpOptions) {
    super();
    this.transport = createTransport({
      host: o.host,
      port: o.port,
      secure: o.secure,
      requireTLS: !o.secure && o.requireTls,
      ignoreTLS: !o.secure && !o.requireTls,
      auth: o.user ? { user: o.user, pass: o.pass ?? '' } : undefined,
      pool: true,
      maxConnections: 4,
      connectionTimeout: o.timeoutMs,
      greetingTimeout: o.timeoutMs,
      socketTimeout: o.timeoutMs,
    });
  }

  async send(mail: OutgoingMail): Promise<{ response: string }> {
    try {
      const info = await this.transport.sendMail({
        from: mail.from,
        replyTo: mail.replyTo,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        headers: mail.headers,
      });
      if (info.rejected.length > 0) {
        throw Object.assign(new Error('recipient rejected'), {
          responseCode: 550,
          response: info.response,
        });
      }
      return { response: info.response };
    } catch (e) {
      throw classifySendError(e);
    }
  }

  close(): void {
    this.transport.close();
  }
}
