import { isStatusProgress } from '@omnigate/contracts';
import type { DeliveryState } from '@omnigate/contracts';

/** The states the in-app channel reports itself. */
export type InappState = Extract<DeliveryState, 'sent' | 'delivered' | 'read'>;

/**
 * A watermark (`read {upToSeq}`) covers every outbound message up to that seq; only those whose
 * stored state would move forward need a status (the rest were reported already). Pure.
 */
export function dueForWatermark<
  T extends { id: string; seq: number; status: DeliveryState | null },
>(rows: readonly T[], state: InappState, upToSeq: number): T[] {
  return rows.filter((r) => r.seq <= upToSeq && isStatusProgress(r.status, state));
}
