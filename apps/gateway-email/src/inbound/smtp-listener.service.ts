import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { AppError, HealthRegistry } from '@omnigate/kit';
import type { SmtpEnvelope } from '../auth/email-auth.service';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { EmailInboundService } from './email-inbound.service';
import { SmtpClientLimits } from './smtp-client-limits';

type SmtpCallback = (err?: Error | null) => void;

/** An SMTP reply with its code: 4xx makes the sender retry, 5xx makes it give up (and bounce). */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Our MX: accepts mail for our domains only (never a relay), reads it whole, and answers 250
 * only once the message is on JetStream (or kept for an operator); a transient failure of NATS
 * or the database answers 451 so the sending server tries again later. Bounded: connections at
 * once (421), per client address connections at once (421) and transactions per minute (450); a
 * PROXY header is read only from the configured balancers (EMAIL_SMTP_PROXIES).
 */
@Injectable()
export class SmtpListenerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('email-smtp');
  private server: SMTPServer | null = null;
  private boundPort = 0;
  private readonly limits: SmtpClientLimits;

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly inbound: EmailInboundService,
    private readonly health: HealthRegistry,
  ) {
    this.limits = new SmtpClientLimits({
      maxConnectionsPerAddress: config.EMAIL_SMTP_MAX_CONNECTIONS_PER_IP,
      messagesPerMinute: config.EMAIL_SMTP_MESSAGES_PER_MINUTE_PER_IP,
    });
  }

  /** Connections open from a client address, as the per-address limit counts them. */
  openFrom(address: string): number {
    return this.limits.openFrom(address);
  }

  /** The port actually bound (EMAIL_SMTP_PORT=0 picks a free one). */
  get port(): number {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.EMAIL_INBOUND !== 'smtp') return;
    const tls =
      this.config.EMAIL_SMTP_TLS_KEY_FILE && this.config.EMAIL_SMTP_TLS_CERT_FILE
        ? {
            key: readFileSync(this.config.EMAIL_SMTP_TLS_KEY_FILE),
            cert: readFileSync(this.config.EMAIL_SMTP_TLS_CERT_FILE),
          }
        : null;
    const server = new SMTPServer({
      name: this.config.EMAIL_MTA_NAME,
      banner: 'Omnigate mail gateway',
      size: this.config.EMAIL_MAX_MESSAGE_BYTES,
      authOptional: true,
      // An MX takes no logins; STARTTLS only when a certificate is configured.
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      // Only these peers may open with a PROXY header; from any other it is an unknown command.
      useProxy: this.config.EMAIL_SMTP_PROXIES.length > 0 ? this.config.EMAIL_SMTP_PROXIES : false,
      maxClients: this.config.EMAIL_SMTP_MAX_CLIENTS,
      logger: false,
      // On shutdown, transactions in flight get this long before their connections are cut.
      closeTimeout: 10_000,
      onConnect: (session, cb) => this.onConnect(session, cb),
      onClose: (session) => this.limits.release(session.id),
      onMailFrom: (_address, session, cb) => this.onMailFrom(session, cb),
      onRcptTo: (address, _session, cb) => this.onRcptTo(address, cb),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
    });
    server.on('error', (e) => this.logger.warn({ msg: 'smtp server error', err: e.message }));
    this.server = server;
    const host = this.config.EMAIL_SMTP_HOST ?? this.config.HOST;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.config.EMAIL_SMTP_PORT, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    const addr = server.server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.config.EMAIL_SMTP_PORT;
    this.health.register({
      name: 'smtp_listener',
      check: () => this.server?.server.listening ?? false,
    });
    this.logger.log({ msg: 'smtp listener ready', host, port: this.boundPort });
  }

  /** Before the bus and the database close: mail in flight can still be published. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The client's address: the PROXY header's from a configured balancer, else the peer's. */
  private onConnect(session: SMTPServerSession, cb: SmtpCallback): void {
    if (!this.limits.admit(session.id, clientOf(session))) {
      emailMetrics.smtpRejected.inc({ reason: 'too_many_connections' });
      cb(smtpError(421, '4.7.0 Too many connections from your address, try again later'));
      return;
    }
    cb();
  }

  private onMailFrom(session: SMTPServerSession, cb: SmtpCallback): void {
    const waitMs = this.limits.takeMessage(clientOf(session));
    if (waitMs > 0) {
      emailMetrics.smtpRejected.inc({ reason: 'rate_limited' });
      const s = Math.max(1, Math.ceil(waitMs / 1000));
      cb(smtpError(450, `4.7.1 Too many messages from your address, try again in ${s} s`));
      return;
    }
    cb();
  }

  private onRcptTo(address: SMTPServerAddress, cb: SmtpCallback): void {
    const domain = address.address.slice(address.address.lastIndexOf('@') + 1).toLowerCase();
    if (!this.config.EMAIL_DOMAINS.includes(domain)) {
      emailMetrics.smtpRejected.inc({ reason: 'relay' });
      cb(smtpError(550, '5.7.1 Relaying denied: we only accept mail for our own domains'));
      return;
    }
    cb();
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: SmtpCallback): void {
    // Copied now: smtp-server resets the session's envelope once the transaction ends.
    const envelope: SmtpEnvelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      remoteAddress: session.remoteAddress?.replace(/^::ffff:/, '') ?? null,
      helo: session.hostNameAppearsAs ?? null,
    };
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      // Past SIZE the rest is read and dropped (the answer will be 552): memory stays bounded.
      size += c.length;
      if (size <= this.config.EMAIL_MAX_MESSAGE_BYTES) chunks.push(c);
    });
    stream.once('error', (e) => cb(smtpError(451, `4.3.0 ${e.message}`)));
    stream.once('end', () => {
      if (stream.sizeExceeded) {
        emailMetrics.smtpRejected.inc({ reason: 'size' });
        cb(smtpError(552, '5.3.4 Message too big'));
        return;
      }
      this.inbound.receive(Buffer.concat(chunks), envelope, 'smtp').then(
        () => cb(),
        (e: unknown) => cb(this.failure(e)),
      );
    });
  }

  private failure(e: unknown): Error {
    const code = e instanceof AppError ? e.code : 'EMAIL.INBOUND_FAILED';
    this.logger.warn({ msg: 'smtp inbound failed, sender will retry', code });
    emailMetrics.inbound.inc({ source: 'smtp', outcome: 'retry' });
    return smtpError(451, '4.3.0 Temporary failure, please try again later');
  }
}

function clientOf(session: SMTPServerSession): string {
  return session.remoteAddress.replace(/^::ffff:/, '');
}
