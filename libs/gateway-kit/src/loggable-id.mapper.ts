import { createHash } from 'node:crypto';

/**
 * A provider message id safe for the logs. Some embed an address: whatsapp-web.js ids the chat
 * (`false_393471234567@c.us_3A01`, a phone number), so only their last part is kept; an email
 * Message-ID often holds the sender's (`<giulia.rossi_1@example.it>`), so what still has an `@`
 * is logged as a short hash (the same id, the same hash: lines still correlate). Opaque ids
 * (SIDs, wamids, update ids) are kept whole, cut to 64 characters. Pure.
 */
export function loggableId(providerMessageId: string): string {
  const id = providerMessageId.includes('@')
    ? (providerMessageId.split('_').pop() ?? 'unknown')
    : providerMessageId;
  if (id.includes('@')) {
    return `sha256:${createHash('sha256').update(providerMessageId).digest('hex').slice(0, 16)}`;
  }
  return id.slice(0, 64);
}
