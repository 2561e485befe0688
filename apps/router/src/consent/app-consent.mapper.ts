import { ChannelSchema, effectiveConsents } from '@omnigate/contracts';
import type { AppConsentsResponseV1, ConsentDecision } from '@omnigate/contracts';
import type { ConsentRow } from '@omnigate/store';

/**
 * Stored rows → every channel × purpose the app shows: the decisions, the defaults elsewhere
 * (source 'default', updatedAt null). Rows of a channel the contract no longer knows are skipped.
 * Pure.
 */
export function toAppConsents(rows: readonly ConsentRow[]): AppConsentsResponseV1 {
  const stored = rows.flatMap((r): ConsentDecision[] => {
    const channel = ChannelSchema.safeParse(r.channel);
    if (!channel.success) return [];
    const { purpose, granted, source, updatedAt } = r;
    return [{ channel: channel.data, purpose, granted, source, updatedAt }];
  });
  return {
    consents: effectiveConsents(stored).map((c) => ({
      ...c,
      updatedAt: c.updatedAt ? c.updatedAt.toISOString() : null,
    })),
  };
}

/** The JetStream msgId of the console event for one app decision (a repeat publishes nothing new). */
export function appConsentEventId(
  customerId: string,
  change: { channel: string; purpose: string; at: Date },
): string {
  return `consent:${customerId}:${change.channel}:${change.purpose}:app:${change.at.getTime()}`;
}
