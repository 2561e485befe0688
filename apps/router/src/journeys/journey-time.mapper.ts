import { SENT_AT_MAX_AGE_MS } from '@omnigate/contracts';

/**
 * A customer message's time in the journey: when the customer sent it, as the provider recorded
 * it (`sentAt` of message.created), else when the router stored it. A message can arrive late
 * (Telegram's queue while the bot was down, a phone's offline queue), and the journey started
 * when the customer wrote, not when we heard of it. Bot and agent actions keep their own time.
 *
 * Checked again against the stored time, not the clock, so a rebuild gives the same answer: never
 * after it was stored (a clock ahead), never more than the gateway's 7 days before it, and never
 * before the journey's start (a later message cannot start the journey again). Pure.
 */
export function customerTimeOf(
  storedAt: string,
  sentAt: string | undefined,
  startedAt: string | null,
): string {
  if (!sentAt) return storedAt;
  const sent = Date.parse(sentAt);
  const stored = Date.parse(storedAt);
  if (!Number.isFinite(sent) || !Number.isFinite(stored)) return storedAt;
  if (sent >= stored || stored - sent > SENT_AT_MAX_AGE_MS) return storedAt;
  const start = startedAt ? Date.parse(startedAt) : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(sent, start)).toISOString();
}
