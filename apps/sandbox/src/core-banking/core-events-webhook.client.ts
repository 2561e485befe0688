import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export const CORE_SIGNATURE_HEADER = 'x-core-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the header every core event carries. */
export function coreSignature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** POSTs one core event the way a bank calls its subscriber: JSON body, signed, 10 s deadline. */
@Injectable()
export class CoreEventsWebhookClient {
  async post(
    url: string,
    body: string,
    secret: string,
    signal?: AbortSignal,
  ): Promise<{ status: number }> {
    const timeout = AbortSignal.timeout(10_000);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CORE_SIGNATURE_HEADER]: coreSignature(secret, body, Math.floor(Date.now() / 1000)),
        'user-agent': 'omnigate-sandbox-core-banking',
      },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status };
  }
}
