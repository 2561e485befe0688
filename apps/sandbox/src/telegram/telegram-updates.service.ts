import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { TelegramErrors } from './telegram-api.errors';
import type { TelegramApiError } from './telegram-api.errors';

export interface WebhookInfo {
  url: string;
  secretToken: string | null;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export type Update = { update_id: number } & Record<string, unknown>;

export interface DeliveryResult {
  updateId: number;
  delivered: 'webhook' | 'queued';
  /** The webhook's HTTP answer (webhook mode). */
  status?: number;
  body?: string;
}

interface Waiter {
  resolve(updates: Update[]): void;
  reject(e: TelegramApiError): void;
  timer: NodeJS.Timeout;
  offset: number;
  limit: number;
}

/**
 * Where customers' updates go: POSTed to the webhook (with the secret header) when one is set,
 * else kept for getUpdates. getUpdates with an offset confirms (drops) every update before it,
 * long-polls up to `timeout` seconds, and is refused with 409 while a webhook is set.
 */
@Injectable()
export class TelegramUpdatesService implements OnModuleDestroy {
  private readonly logger = new Logger('telegram-sandbox');
  private webhook: WebhookInfo | null = null;
  private pending: Update[] = [];
  private nextUpdateId = 100_000;
  private waiter: Waiter | null = null;

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  newUpdateId(): number {
    return this.nextUpdateId++;
  }

  /** Keeps ids increasing after an injected update with an explicit id (a replayed one). */
  seen(updateId: number): void {
    if (updateId >= this.nextUpdateId) this.nextUpdateId = updateId + 1;
  }

  webhookInfo(): WebhookInfo | null {
    return this.webhook;
  }

  pendingCount(): number {
    return this.pending.length;
  }

  setWebhook(url: string, secretToken: string | null, dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = url ? { url, secretToken } : null;
    this.release(TelegramErrors.webhookActive());
    if (this.webhook) void this.flushToWebhook();
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = null;
  }

  async deliver(update: Update): Promise<DeliveryResult> {
    if (!this.webhook) {
      this.pending.push(update);
      this.wake();
      return { updateId: update.update_id, delivered: 'queued' };
    }
    const res = await this.post(this.webhook, update);
    return { updateId: update.update_id, delivered: 'webhook', ...res };
  }

  /** getUpdates: confirm what is before `offset`, answer what is pending, or wait for it. */
  getUpdates(offset: number | undefined, limit: number, timeoutS: number): Promise<Update[]> {
    if (this.webhook) return Promise.reject(TelegramErrors.webhookActive());
    if (offset !== undefined && offset > 0) {
      this.pending = this.pending.filter((u) => u.update_id >= offset);
    }
    const from = offset ?? 0;
    const ready = this.pending.filter((u) => u.update_id >= from).slice(0, limit);
    // A newer getUpdates ends the one still waiting, as Telegram does.
    this.release(TelegramErrors.otherGetUpdates());
    if (ready.length > 0 || timeoutS <= 0) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve([]);
      }, timeoutS * 1000);
      this.waiter = { resolve, reject, timer, offset: from, limit };
    });
  }

  reset(): void {
    this.release(TelegramErrors.otherGetUpdates());
    this.webhook = null;
    this.pending = [];
  }

  onModuleDestroy(): void {
    // A long poll must not hold the server open at shutdown: answer it empty.
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.resolve([]);
      this.waiter = null;
    }
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    const ready = this.pending.filter((u) => u.update_id >= w.offset).slice(0, w.limit);
    if (ready.length === 0) return;
    clearTimeout(w.timer);
    this.waiter = null;
    w.resolve(ready);
  }

  private release(e: TelegramApiError): void {
    const w = this.waiter;
    if (!w) return;
    clearTimeout(w.timer);
    this.waiter = null;
    w.reject(e);
  }

  /** Updates queued before a webhook was set are pushed to it in order; a failure stops the flush. */
  private async flushToWebhook(): Promise<void> {
    while (this.webhook && this.pending.length > 0) {
      const u = this.pending[0]!;
      const res = await this.post(this.webhook, u);
      if (res.status < 200 || res.status >= 300) return;
      this.pending = this.pending.filter((p) => p !== u);
    }
  }

  private async post(hook: WebhookInfo, update: Update): Promise<{ status: number; body: string }> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(this.config.SANDBOX_TELEGRAM_WEBHOOK_TIMEOUT_MS),
      });
      const body = await res.text();
      if (!res.ok) this.noteError(hook, `Wrong response from the webhook: ${res.status}`);
      return { status: res.status, body };
    } catch (e) {
      this.noteError(hook, 'Connection refused');
      this.logger.warn({ msg: 'telegram webhook POST failed', error: (e as Error).name });
      return { status: 0, body: '' };
    }
  }

  private noteError(hook: WebhookInfo, message: string): void {
    hook.lastErrorDate = Math.floor(Date.now() / 1000);
    hook.lastErrorMessage = message;
  }
}
