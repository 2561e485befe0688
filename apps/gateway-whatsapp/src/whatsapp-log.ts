/**
 * A provider message id safe for the logs: web.js ids embed the chat (`false_393471234567@c.us_3A01`),
 * that is a phone number, so only their last part is kept; wamids and SIDs are opaque and kept whole.
 */
export function loggableId(providerMessageId: string): string {
  return providerMessageId.includes('@')
    ? (providerMessageId.split('_').pop() ?? 'unknown')
    : providerMessageId;
}
