import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { EMAIL_SANDBOX_CONFIG } from './email-sandbox.config';
import type { EmailSandboxConfig } from './email-sandbox.config';

export interface SinkMessage {
  seq: number;
  receivedAt: string;
  envelope: { mailFrom: string; rcptTo: string[] };
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string;
  replyTo: string;
  to: string[];
  subject: string;
  text: string;
  /** Every header, lower-case names, as text. */
  headers: Record<string, string>;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

/**
 * The mail server our gateway submits to: an in-process smtp-server that keeps what it receives.
 * Recipients can be scripted to be refused with any SMTP code (a 550 "user unknown", a 452).
 */
@Injectable()
export class EmailSinkService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sandbox-smtp');
  private server: SMTPServer | null = null;
  private messages: SinkMessage[] = [];
  private readonly refusals = new Map<string, { code: number; message: string }>();

  constructor(@Inject(EMAIL_SANDBOX_CONFIG) private readonly config: EmailSandboxConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (_auth, _session, cb) => cb(null, { user: 'sandbox' }),
      onRcptTo: (address, _session, cb) => {
        const refusal = this.refusals.get(address.address.toLowerCase());
        if (refusal) {
          cb(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        simpleParser(stream).then(
          (m) => {
            const headers: Record<string, string> = {};
            for (const line of m.headerLines) {
              headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
            }
            this.messages.push({
              seq: this.messages.length + 1,
              receivedAt: new Date().toISOString(),
              envelope,
              messageId: m.messageId ?? null,
              inReplyTo: m.inReplyTo ?? null,
              references: ([] as string[]).concat(m.references ?? []),
              from: addresses(m.from)[0] ?? '',
              replyTo: addresses(m.replyTo)[0] ?? '',
              to: addresses(m.to),
              subject: m.subject ?? '',
              text: m.text ?? '',
              headers,
            });
            cb();
          },
          (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
        );
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.SANDBOX_SMTP_PORT, '127.0.0.1', () => resolve());
    });
    this.logger.log({ msg: 'smtp sink ready', port: this.port });
  }

  get port(): number {
    const a = this.server?.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  async onApplicationShutdown(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  list(): SinkMessage[] {
    return this.messages;
  }

  refuse(address: string, code: number, message: string): void {
    this.refusals.set(address.toLowerCase(), { code, message });
  }

  reset(): void {
    this.messages = [];
    this.refusals.clear();
  }
}
