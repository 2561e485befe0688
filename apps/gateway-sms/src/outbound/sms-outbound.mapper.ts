import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { SmsSendRequest } from '../provider/sms-provider.port';

/** Where Twilio reports this message's statuses: our public URL, with our message id in the query. */
export function statusCallbackUrl(publicUrl: string, messageId: string): string {
  return `${publicUrl}/webhooks/twilio/status?mid=${encodeURIComponent(messageId)}`;
}

function isHttpUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** An outbound message → one SMS/MMS send. Only attachments with a public URL can go as media. */
export function toSendRequest(
  msg: OutboundMessageV1,
  to: string,
  publicUrl: string,
): SmsSendRequest {
  return {
    to,
    body: msg.text,
    mediaUrls: msg.attachments.map((a) => a.ref).filter(isHttpUrl),
    statusCallbackUrl: statusCallbackUrl(publicUrl, msg.messageId),
  };
}
