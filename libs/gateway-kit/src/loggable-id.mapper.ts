/**
 * A provider message id safe for the logs: some embed the chat (whatsapp-web.js:
 * `false_393471234567@c.us_3A01`), that is a phone number, so only their last part is kept;
 * opaque ids (SIDs, wamids, update ids) are kept whole, cut to 64 characters. Pure.
 */
export function loggableId(providerMessageId: string): string {
  const id = providerMessageId.includes('@')
    ? (providerMessageId.split('_').pop() ?? 'unknown')
    : providerMessageId;
  return id.slice(0, 64);
}
