import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { BusModule, ObjectStoreClient } from '@omnigate/bus';
import { CardSealer, HpkeSealer, PanRedactor } from '@omnigate/crypto';
import { KitModule, busOptionsFrom } from '@omnigate/kit';
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
import { INTAKE_SEALER, SealedObjectsService } from './sealing/sealed-objects.service';
import { EmailStatusService } from './status/email-status.service';
import { EmailThreadsService } from './threading/email-threads.service';
import { EmailThreadsStore } from './threading/email-threads.store';

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

/**
 * The email gateway: SMTP listener or IMAP poller inbound, SMTP outbound, bounces. An edge: no
 * database and no data key; its state is in NATS (KV, object store) and it holds only public keys.
 */
@Module({})
export class GatewayEmailModule implements OnApplicationShutdown {
  constructor(@Inject(MailTransport) private readonly transport: MailTransport) {}

  static forRoot(config: GatewayEmailConfig, overrides: EmailModuleOverrides = {}): DynamicModule {
    const resolver =
      overrides.resolver ??
      (config.EMAIL_DNS_STATIC ? staticResolver(config.EMAIL_DNS_STATIC) : systemResolver);
    return {
      module: GatewayEmailModule,
      imports: [KitModule, BusModule.forRoot(busOptionsFrom(config, 'gateway-email'))],
      providers: [
        { provide: EMAIL_CONFIG, useValue: config },
        { provide: DNS_RESOLVER, useValue: resolver },
        { provide: PanRedactor, useValue: new PanRedactor() },
        {
          provide: CardSealer,
          useFactory: (redactor: PanRedactor) =>
            new CardSealer(redactor, HpkeSealer.fromConfig(config.VAULT_PUBLIC_KEY)),
          inject: [PanRedactor],
        },
        {
          provide: INTAKE_SEALER,
          useFactory: () => HpkeSealer.fromConfig(config.ROUTER_INTAKE_PUBLIC_KEY),
        },
        { provide: MailTransport, useFactory: () => transportOf(config) },
        ObjectStoreClient,
        SealedObjectsService,
        EmailThreadsStore,
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
