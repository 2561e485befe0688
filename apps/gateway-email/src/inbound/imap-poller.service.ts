import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { AppError, HealthRegistry } from '@omnigate/kit';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { EmailInboundService } from './email-inbound.service';
import { resumeFrom } from './imap-cursor.mapper';
import type { ImapCursor } from './imap-cursor.mapper';

export const IMAP_CURSOR_BUCKET = 'EMAIL_IMAP_CURSOR';
const BATCH = 50;
const RECONNECT_MS = [1000, 2000, 5000, 15_000, 30_000];

/**
 * Reads a mailbox by IMAP (when we are not the MX): new mail is noticed by IDLE ('exists') or by
 * the poll timer, fetched by UID after the cursor, handed to the inbound pipeline one by one, and
 * the cursor (UIDVALIDITY + last UID, NATS KV) moves only past mail that is durable on JetStream.
 */
@Injectable()
export class ImapPollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('email-imap');
  private client: ImapFlow | null = null;
  private cursors: KvBucket<ImapCursor> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly inbound: EmailInboundService,
    private readonly kv: KvStore,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.EMAIL_INBOUND !== 'imap') return;
    this.cursors = await this.kv.bucket<ImapCursor>(IMAP_CURSOR_BUCKET, 0);
    this.health.register({ name: 'imap_mailbox', check: () => this.client?.usable ?? false });
    await this.connect().catch((e: unknown) => this.scheduleReconnect(e));
    this.timer = setInterval(() => this.sync(), this.config.EMAIL_IMAP_POLL_MS);
    this.timer.unref();
  }

  /** Before the bus and the database close: mail in flight can still be published. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => undefined);
    await this.client?.logout().catch(() => undefined);
    this.client?.close();
    this.client = null;
  }

  /** Waits for the sync in flight (tests, shutdown). */
  idle(): Promise<void> {
    return this.running.catch(() => undefined);
  }

  private key(): string {
    return `${this.config.EMAIL_IMAP_USER}@${this.config.EMAIL_IMAP_HOST}/${this.config.EMAIL_IMAP_MAILBOX}`;
  }

  private async connect(): Promise<void> {
    const client = new ImapFlow({
      host: this.config.EMAIL_IMAP_HOST!,
      port: this.config.EMAIL_IMAP_PORT,
      secure: this.config.EMAIL_IMAP_SECURE,
      auth: { user: this.config.EMAIL_IMAP_USER!, pass: this.config.EMAIL_IMAP_PASS! },
      logger: false,
    });
    client.on('exists', () => this.sync());
    client.on('error', (e: Error) => this.logger.warn({ msg: 'imap error', err: e.message }));
    client.on('close', () => {
      if (this.client === client && !this.stopped) {
        this.scheduleReconnect(new Error('connection closed'));
      }
    });
    await client.connect();
    await client.mailboxOpen(this.config.EMAIL_IMAP_MAILBOX);
    this.client = client;
    this.failures = 0;
    this.logger.log({ msg: 'imap mailbox open', mailbox: this.config.EMAIL_IMAP_MAILBOX });
    this.sync();
  }

  private scheduleReconnect(e: unknown): void {
    this.client = null;
    if (this.stopped) return;
    const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)]!;
    this.logger.warn({ msg: 'imap unavailable, reconnecting', delayMs: delay, err: String(e) });
    setTimeout(() => {
      if (!this.stopped) this.connect().catch((err: unknown) => this.scheduleReconnect(err));
    }, delay).unref();
  }

  /** Serialised: one pass at a time; a notification during a pass queues one more. */
  private sync(): void {
    this.running = this.running
      .then(() => this.pass())
      .catch((e: unknown) => {
        const code = e instanceof AppError ? e.code : 'EMAIL.IMAP_FAILED';
        this.logger.warn({ msg: 'imap pass failed, will retry', code, err: String(e) });
      });
  }

  private async pass(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped || !client.mailbox) return;
    const uidValidity = String(client.mailbox.uidValidity);
    const saved = await this.cursors!.get(this.key());
    const { lastUid, resync } = resumeFrom(saved, uidValidity);
    if (resync) {
      this.logger.warn({ msg: 'imap UIDVALIDITY changed: resync, deduped by Message-ID' });
    }
    let cursor = lastUid;
    for (;;) {
      const batch = (
        await client.fetchAll(`${cursor + 1}:*`, { uid: true, source: true }, { uid: true })
      )
        .filter((m) => m.uid > cursor && m.source)
        .sort((a, b) => a.uid - b.uid)
        .slice(0, BATCH);
      if (batch.length === 0) break;
      for (const m of batch) {
        if (this.stopped) return;
        await this.inbound.receive(m.source!, null, 'imap');
        cursor = m.uid;
        await this.cursors!.put(this.key(), { uidValidity, lastUid: cursor }, null);
        await client
          .messageFlagsAdd(String(m.uid), ['\\Seen'], { uid: true })
          .catch(() => undefined);
        emailMetrics.inbound.inc({ source: 'imap', outcome: 'read' });
      }
    }
    if (resync || !saved) {
      await this.cursors!.put(this.key(), { uidValidity, lastUid: cursor }, null);
    }
  }
}
