import type { OutboundMessageV1 } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { ProviderSendError } from '../gateway-kit.errors';

/**
 * What a failed send means, as the gateway's provider knows it:
 * - retry: rate limit, outage, network (retryAfterMs: exactly when the provider said);
 * - rejected: the provider will never take this message → failed status, no retry;
 * - opted_out: the recipient unsubscribed at the provider → opt-out list + failed;
 * - blocked: the customer blocked us → blocked list + failed.
 */
export type SendFailure =
  | { kind: 'retry'; code: string; retryAfterMs?: number }
  | { kind: 'rejected' | 'opted_out' | 'blocked'; code: string; reason: string };

export interface SendResult {
  providerMessageId: string;
  /** The metric's outcome label when not plain `sent` (e.g. `sent_template`). */
  outcome?: string;
}

/**
 * The narrow port a gateway gives the send loop: where a message goes, how to send it through the
 * provider's SDK, and what a failure means. Everything else (veto, idempotency, statuses, retries,
 * metrics) is the loop's. The abstract class is the Nest token: a gateway's module provides it,
 * `{ provide: OutboundSender, useClass: XSender }`, and the kit's send loop finds it there.
 */
export abstract class OutboundSender {
  /** The state the provider's acceptance means: `queued` (Twilio, Cloud API) or `sent` (Telegram). */
  abstract readonly acceptedState: 'queued' | 'sent';
  /** The failed status's reason for a customer who blocked us (optional). */
  readonly blockedReason?: string;
  /** The recipient as the provider wants it (E.164, chat id). */
  abstract recipientOf(msg: OutboundMessageV1): string;
  abstract send(msg: OutboundMessageV1, to: string): Promise<SendResult>;
  /** What a failed send means, when `sendFailureOf` does not read it right (optional). */
  classify?(error: unknown): SendFailure;
}

/**
 * What a failed send means by default: a ProviderSendError says it itself; anything else (NATS or
 * the gateway's KV not answering, a bug) is retried with backoff under its code. Pure.
 */
export function sendFailureOf(e: unknown): SendFailure {
  if (e instanceof ProviderSendError && e.kind !== 'retry') {
    return { kind: e.kind, code: e.code, reason: e.reason };
  }
  return { kind: 'retry', code: e instanceof AppError ? e.code : 'GATEWAY.SEND_FAILED' };
}
