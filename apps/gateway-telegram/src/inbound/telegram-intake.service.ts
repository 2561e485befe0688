import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { KvStore, NatsConnection } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { AppError } from '@omnigate/kit';
import { TELEGRAM_CONFIG, WEBHOOK_PATH } from '../config/gateway-telegram.config';
import type { GatewayTelegramConfig } from '../config/gateway-telegram.config';
import { TelegramBotClient } from '../provider/telegram-bot.client';
import { TelegramSendError } from '../provider/telegram-send.errors';
import { telegramMetrics } from '../telegram.metrics';
import { TelegramInboundService } from './telegram-inbound.service';

/** The polling offset is kept a week (Telegram keeps undelivered updates 24 hours). */
const OFFSET_BUCKET = 'telegram_offsets';
const OFFSET_MAX_AGE_MS = 7 * 24 * 3600_000;
const ERROR_PAUSE_MS = [500, 1000, 2000, 5000, 10_000];

/**
 * How updates reach us. Webhook mode: setWebhook with our public URL and secret at start.
 * Polling mode: deleteWebhook, then getUpdates in a loop; the offset (last update_id + 1) is
 * committed in NATS KV — and to Telegram by the next getUpdates — only after the update's publish
 * was acknowledged, so a crash loses nothing and a restart does not re-read what was published.
 */
@Injectable()
export class TelegramIntakeService implements OnApplicationBootstrap {
  private readonly logger = new Logger('telegram-intake');
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(TELEGRAM_CONFIG) private readonly config: GatewayTelegramConfig,
    private readonly client: TelegramBotClient,
    private readonly inbound: TelegramInboundService,
    private readonly kv: KvStore,
    private readonly conn: NatsConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.TELEGRAM_MODE === 'webhook') {
      const url = this.config.TELEGRAM_PUBLIC_URL + WEBHOOK_PATH;
      await this.client.setWebhook(url, this.config.TELEGRAM_WEBHOOK_SECRET!);
      this.logger.log({ msg: 'telegram webhook set', mode: 'webhook' });
      return;
    }
    await this.client.deleteWebhook();
    const bucket = await this.kv.bucket<number>(OFFSET_BUCKET, OFFSET_MAX_AGE_MS);
    const key = TelegramBotClient.botIdOf(this.config.TELEGRAM_BOT_TOKEN);
    this.loop = this.poll(bucket, key);
    this.conn.onShutdown(() => this.stop(), 'telegram polling');
    this.logger.log({ msg: 'telegram polling started', mode: 'polling' });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async poll(bucket: KvBucket<number>, key: string): Promise<void> {
    let offset = (await bucket.get(key).catch(() => undefined)) ?? 0;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const updates = await this.client.getUpdates(
          offset,
          this.config.TELEGRAM_POLL_TIMEOUT_S,
          this.abort.signal,
        );
        for (const u of updates) {
          telegramMetrics.updatesReceived.inc({ mode: 'polling' });
          await this.handleOne(u);
          offset = u.update_id + 1;
          await bucket.put(key, offset, null);
        }
        failures = 0;
      } catch (e) {
        if (this.abort.signal.aborted) break;
        const wait =
          e instanceof TelegramSendError && e.retryAfterMs !== null
            ? e.retryAfterMs
            : ERROR_PAUSE_MS[Math.min(failures, ERROR_PAUSE_MS.length - 1)]!;
        failures++;
        this.logger.warn({
          msg: 'telegram polling failed; the same offset is read again',
          code: e instanceof AppError ? e.code : 'TELEGRAM.POLL_FAILED',
          waitMs: wait,
        });
        await this.pause(wait);
      }
    }
    this.logger.log({ msg: 'telegram polling stopped' });
  }

  /** A malformed update is skipped (retrying cannot fix it); anything else stops the batch. */
  private async handleOne(update: unknown): Promise<void> {
    try {
      await this.inbound.receive(update);
    } catch (e) {
      if (e instanceof AppError && !e.retryable && e.code === 'TELEGRAM.UPDATE_MALFORMED') {
        telegramMetrics.updatesIgnored.inc({ reason: 'malformed' });
        return;
      }
      throw e;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
