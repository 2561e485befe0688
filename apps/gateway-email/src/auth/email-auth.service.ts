import { Inject, Injectable } from '@nestjs/common';
import { authenticate } from 'mailauth';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { DNS_RESOLVER } from './dns-resolver';
import type { DnsResolver } from './dns-resolver';
import { summarizeAuth } from './email-auth.mapper';
import type { EmailAuthSummary } from './email-auth.mapper';

export interface SmtpEnvelope {
  /** MAIL FROM; empty for a bounce. */
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string | null;
  helo: string | null;
}

type Authenticate = (raw: Buffer, opts: Record<string, unknown>) => Promise<unknown>;

/**
 * SPF, DKIM and DMARC with mailauth, DNS through the injected resolver. With an SMTP envelope we
 * are the MX and check the connecting IP; without one (IMAP) the newest Received header of the
 * mailbox's own MTA stands in for it.
 */
@Injectable()
export class EmailAuthService {
  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
  ) {}

  async check(raw: Buffer, envelope: SmtpEnvelope | null): Promise<EmailAuthSummary> {
    const opts: Record<string, unknown> = {
      resolver: this.resolver,
      mta: this.config.EMAIL_MTA_NAME,
      disableArc: true,
      disableBimi: true,
    };
    if (envelope) {
      opts.ip = envelope.remoteAddress ?? undefined;
      opts.helo = envelope.helo ?? undefined;
      opts.sender = envelope.mailFrom || undefined;
    } else {
      opts.trustReceived = true;
    }
    try {
      return summarizeAuth(await (authenticate as Authenticate)(raw, opts));
    } catch {
      // A message mailauth cannot read proves nothing; it still reaches the agent, unproven.
      return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', fromDomain: null };
    }
  }
}
