import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { CORE_BANKING_OPTIONS } from './core-banking.config';
import type { CoreBankingSandboxOptions } from './core-banking.config';
import { CoreEventsWebhookClient } from './core-events-webhook.client';

export type SandboxCoreEventKind =
  'card_blocked_by_fraud' | 'sim_swap' | 'new_device' | 'card_unblocked' | 'phone_changed';

/** The webhook body a bank sends (docs/core-banking.openapi.json, CoreEvent). */
export interface SandboxCoreEvent {
  id: string;
  kind: SandboxCoreEventKind;
  occurredAt: string;
  customerRef: string;
  cardId?: string;
  transactionId?: string;
}

export interface CoreEventRecord {
  event: SandboxCoreEvent;
  delivered: boolean;
  /** One per POST: the HTTP status, or null when nothing answered. */
  attempts: Array<{ at: string; status: number | null }>;
}

/**
 * Core events as a bank emits them: kept in a list (GET _control/events) and, when a target is
 * configured, POSTed as signed webhooks, retried with backoff on a non-2xx answer or no answer.
 * Each attempt is signed anew (a fresh timestamp), so a late retry passes a replay window.
 */
@Injectable()
export class CoreEventsService implements OnModuleDestroy {
  private readonly logger = new Logger('sandbox-core-events');
  private readonly records: CoreEventRecord[] = [];
  private readonly stop = new AbortController();
  private target: { url?: string; secret: string };

  constructor(
    @Inject(CORE_BANKING_OPTIONS) private readonly options: CoreBankingSandboxOptions,
    private readonly client: CoreEventsWebhookClient,
  ) {
    this.target = { url: options.eventsUrl, secret: options.eventsSecret };
  }

  onModuleDestroy(): void {
    this.stop.abort();
  }

  setTarget(url: string | null, secret?: string): void {
    this.target = { url: url ?? undefined, secret: secret ?? this.target.secret };
  }

  list(): CoreEventRecord[] {
    return this.records.map((r) => ({ ...r, attempts: [...r.attempts] }));
  }

  clear(): void {
    this.records.length = 0;
  }

  emit(
    kind: SandboxCoreEventKind,
    customerRef: string,
    refs: { cardId?: string; transactionId?: string } = {},
  ): SandboxCoreEvent {
    const event: SandboxCoreEvent = {
      id: `evt_${randomBytes(12).toString('hex')}`,
      kind,
      occurredAt: new Date().toISOString(),
      customerRef,
      ...refs,
    };
    const record: CoreEventRecord = { event, delivered: false, attempts: [] };
    this.records.push(record);
    if (this.target.url) void this.deliver(record, this.target.url, this.target.secret);
    return event;
  }

  private async deliver(record: CoreEventRecord, url: string, secret: string): Promise<void> {
    const body = JSON.stringify(record.event);
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      const status = await this.client
        .post(url, body, secret, this.stop.signal)
        .then((r) => r.status)
        .catch(() => null);
      record.attempts.push({ at: new Date().toISOString(), status });
      if (status !== null && status >= 200 && status < 300) {
        record.delivered = true;
        return;
      }
      const wait = this.options.eventsRetryMs[attempt];
      if (wait === undefined) {
        this.logger.warn({ msg: 'core event not delivered', eventId: record.event.id, status });
        return;
      }
      await delay(wait, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
