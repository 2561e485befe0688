import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { BusModule } from '@omnigate/bus';
import { PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom, databaseConfigFrom } from '@omnigate/kit';
import { EmailAttachmentsRepository, EmailMessagesRepository, StoreModule } from '@omnigate/store';
import { AttachmentStoreService } from './attachments/attachment-store.service';
import { RefusalReplyService } from './attachments/refusal-reply.service';
import { DNS_RESOLVER, staticResolver, systemResolver } from './auth/dns-resolver';
import type { DnsResolver } from './auth/dns-resolver';
import { EmailAuthService } from './auth/email-auth.service';
import { BounceService } from './bounce/bounce.service';
import { EMAIL_CONFIG } from './config/gateway-email.config';
import type { GatewayEmailConfig } from './config/gateway-email.config';
import { EmailInboundService } from './inbound/email-inbound.service';
import { EmailQuarantineService } from './inbound/email-quarantine.service';
import { ImapPollerService } from './inbound/imap-poller.service';
import { SmtpListenerService } from './inbound/smtp-listener.service';
import { EmailSendHandler } from './outbound/email-send.handler';
import { MailTransport } from './provider/mail-transport.port';
import { NodemailerClient } from './provider/nodemailer.client';
import { EmailStatusService } from './status/email-status.service';
import { EmailThreadsService } from './threading/email-threads.service';

export interface EmailModuleOverrides {
  /** DNS for SPF/DKIM/DMARC (tests pass a static map; default: EMAIL_DNS_STATIC or the system's DNS). */
  resolver?: DnsResolver;
}

function transportOf(config: GatewayEmailConfig): MailTransport {
  return new NodemailerClient({
    host: config.EMAIL_OUT_HOST,
    port: config.EMAIL_OUT_PORT,
    secure: config.EMAIL_OUT_SECURE,
    requireTls: config.EMAIL_OUT_REQUIRE_TLS,
    user: config.EMAIL_OUT_USER,
    pass: config.EMAIL_OUT_PASS,
    timeoutMs: config.EMAIL_OUT_TIMEOUT_MS,
  });
}

/** The email gateway: SMTP listener or IMAP poller inbound, SMTP outbound, bounces. */
@Module({})
export class GatewayEmailModule implements OnApplicationShutdown {
  constructor(@Inject(MailTransport) private readonly transport: MailTransport) {}

  static forRoot(config: GatewayEmailConfig, overrides: EmailModuleOverrides = {}): DynamicModule {
    const resolver =
      overrides.resolver ??
      (config.EMAIL_DNS_STATIC ? staticResolver(config.EMAIL_DNS_STATIC) : systemResolver);
    return {
      module: GatewayEmailModule,
      imports: [
        KitModule,
        BusModule.forRoot(busOptionsFrom(config, 'gateway-email')),
        StoreModule.forRoot(databaseConfigFrom(config)),
      ],
      providers: [
        { provide: EMAIL_CONFIG, useValue: config },
        { provide: DNS_RESOLVER, useValue: resolver },
        { provide: PanRedactor, useValue: new PanRedactor() },
        { provide: MailTransport, useFactory: () => transportOf(config) },
        EmailAttachmentsRepository,
        EmailMessagesRepository,
        EmailAuthService,
        AttachmentStoreService,
        RefusalReplyService,
        EmailStatusService,
        EmailThreadsService,
        BounceService,
        EmailQuarantineService,
        EmailInboundService,
        SmtpListenerService,
        ImapPollerService,
        EmailSendHandler,
      ],
    };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
