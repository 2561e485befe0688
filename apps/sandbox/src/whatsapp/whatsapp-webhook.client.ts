import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';

export interface WhatsAppWebhookResponse {
  status: number;
  body: string;
}

/**
 * POSTs a notification the way Meta calls an app's webhook: JSON body, X-Hub-Signature-256 =
 * sha256= + hex HMAC-SHA256 of the exact bytes sent, keyed with the app secret.
 */
@Injectable()
export class WhatsAppWebhookClient {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  sign(body: string, secret = this.config.SANDBOX_WHATSAPP_APP_SECRET): string {
    return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  }

  async post(
    url: string,
    payload: unknown,
    opts: { signal?: AbortSignal; secret?: string } = {},
  ): Promise<WhatsAppWebhookResponse> {
    const body = JSON.stringify(payload);
    const timeout = AbortSignal.timeout(15_000);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': this.sign(body, opts.secret),
        'user-agent': 'facebookexternalua',
      },
      body,
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    return { status: res.status, body: await res.text() };
  }
}
