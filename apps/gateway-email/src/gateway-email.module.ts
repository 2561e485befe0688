import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { ObjectStoreClient } from '@omnigate/bus';
import { HpkeSealer } from '@omnigate/crypto';
import { GatewayKitModule, OutboundSender, sendLoopSettings } from '@omnigate/gateway-kit';
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
import { EmailSender } from './outbound/email-sender.service';
import { MailTransport } from './provider/mail-transport.port';
import { NodemailerClient } from './provider/nodemailer.client';
import { INTAKE_SEALER, SealedObjectsService } from './sealing/sealed-objects.service';
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
      imports: [
        GatewayKitModule.forRoot(config, {
          channel: 'email',
          send: sendLoopSettings(config, 'EMAIL'),
          // One spelling per mailbox in the opt-out list: what the customer wrote from, what
          // the router sends to, what consent events name.
          addressKey: (address) => address.trim().toLowerCase(),
        }),
      ],
      providers: [
        { provide: EMAIL_CONFIG, useValue: config },
        { provide: DNS_RESOLVER, useValue: resolver },
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
        EmailThreadsService,
        BounceService,
        EmailQuarantineService,
        EmailInboundService,
        SmtpListenerService,
        ImapPollerService,
        { provide: OutboundSender, useClass: EmailSender },
      ],
    };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
