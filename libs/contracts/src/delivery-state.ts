import { z } from 'zod';

/** Normalised delivery states shared by every provider (Twilio, Telegram, WhatsApp, email, in-app). */
export const DELIVERY_STATES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const DeliveryStateSchema = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

const RANK: Record<DeliveryState, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

/**
 * Statuses arrive out of order (Twilio's callbacks race each other). A later state never goes
 * back: delivered after read is ignored; failed wins over everything except read.
 */
export function isStatusProgress(current: DeliveryState | null, next: DeliveryState): boolean {
  if (current === null) return true;
  if (current === 'read') return false;
  if (current === 'failed') return false;
  return RANK[next] > RANK[current];
}
