import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import twilio from 'twilio';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import type { WebhookParams } from './twilio.types';

export interface WebhookResponse {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * POSTs a form the way Twilio calls a customer's webhook: url-encoded params, signed with the
 * account's auth token over the exact URL plus the sorted params (the SDK's own
 * getExpectedTwilioSignature, so whatever validateRequest accepts, we produce).
 */
@Injectable()
export class TwilioWebhookClient {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  sign(url: string, params: WebhookParams): string {
    return twilio.getExpectedTwilioSignature(this.config.SANDBOX_TWILIO_AUTH_TOKEN, url, params);
  }

  async post(url: string, params: WebhookParams, signal?: AbortSignal): Promise<WebhookResponse> {
    const timeout = AbortSignal.timeout(this.config.SANDBOX_TWILIO_WEBHOOK_TIMEOUT_MS);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': this.sign(url, params),
        'i-twilio-idempotency-token': randomUUID(),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: await res.text(),
    };
  }
}
