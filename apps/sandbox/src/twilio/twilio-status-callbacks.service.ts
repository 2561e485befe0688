import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { DELIVERY_ERROR_MESSAGES } from './twilio-api.errors';
import { TwilioScenarioService } from './twilio-scenario.service';
import type { DeliveryFailure } from './twilio-scenario.service';
import { TwilioWebhookClient } from './twilio-webhook.client';
import { statusCallbackParams } from './twilio-webhook.mapper';
import type { TwilioMessageRecord, TwilioMessageStatus } from './twilio.types';

/**
 * Moves each sent message through queued → sent → delivered (or undelivered for a scripted
 * failing recipient), a configurable pause apart, and POSTs a signed status callback at each
 * step, one after the other, as Twilio does. A callback that fails is logged (Twilio's debugger
 * error 11200) and not retried.
 */
@Injectable()
export class TwilioStatusCallbacksService implements OnApplicationShutdown {
  private readonly logger = new Logger('twilio-status-callbacks');
  private readonly running = new Set<Promise<void>>();
  private lifetime = new AbortController();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly scenario: TwilioScenarioService,
    private readonly webhook: TwilioWebhookClient,
  ) {}

  start(record: TwilioMessageRecord): void {
    const signal = this.lifetime.signal;
    const run = this.progress(record, signal)
      .catch((e: unknown) => {
        if (!signal.aborted) {
          this.logger.error(
            { msg: 'status progression failed', sid: record.sid },
            e instanceof Error ? e : undefined,
          );
        }
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Stops every pending progression (control API reset). */
  reset(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
  }

  async onApplicationShutdown(): Promise<void> {
    this.lifetime.abort();
    await Promise.allSettled([...this.running]);
  }

  private async progress(record: TwilioMessageRecord, signal: AbortSignal): Promise<void> {
    const failure = this.scenario.failureFor(record.to);
    const steps: TwilioMessageStatus[] = ['queued', 'sent', failure ? failure.status : 'delivered'];
    for (const status of steps) {
      await sleep(this.config.SANDBOX_TWILIO_STATUS_DELAY_MS, undefined, { signal });
      advance(record, status, failure, this.config.SANDBOX_TWILIO_SERVICE_NUMBER);
      if (record.statusCallback) await this.notify(record, record.statusCallback, signal);
    }
  }

  private async notify(
    record: TwilioMessageRecord,
    url: string,
    signal: AbortSignal,
  ): Promise<void> {
    const params = statusCallbackParams(record, this.config.SANDBOX_TWILIO_SERVICE_NUMBER);
    try {
      const res = await this.webhook.post(url, params, signal);
      if (res.status >= 400) {
        this.logger.warn({
          msg: 'status callback refused',
          sid: record.sid,
          status: record.status,
          httpStatus: res.status,
          code: 11200,
        });
      }
    } catch (e) {
      if (signal.aborted) throw e;
      this.logger.warn({
        msg: 'status callback unreachable',
        sid: record.sid,
        status: record.status,
        code: 11200,
      });
    }
  }
}

function advance(
  record: TwilioMessageRecord,
  status: TwilioMessageStatus,
  failure: DeliveryFailure | null,
  serviceNumber: string,
): void {
  const now = new Date();
  record.status = status;
  record.dateUpdated = now;
  // A Messaging Service picks the sender when the message leaves the queue.
  if (record.from === null) record.from = serviceNumber;
  if (status === 'sent') record.dateSent = now;
  if (failure && status === failure.status) {
    record.errorCode = failure.errorCode;
    record.errorMessage = DELIVERY_ERROR_MESSAGES[failure.errorCode] ?? 'Unknown error';
  }
}
