import { z } from 'zod';
import type { Channel } from '../channel';
import { CHANNELS } from '../channel';

/** Why a message is sent; the same values as OutboundMessageV1 `purpose`. */
export const CONSENT_PURPOSES = ['service', 'fraud_alert', 'marketing'] as const;
export const ConsentPurposeSchema = z.enum(CONSENT_PURPOSES);
export type ConsentPurpose = z.infer<typeof ConsentPurposeSchema>;

/** Where a consent decision came from; 'default' means nobody decided (no row stored). */
export const CONSENT_SOURCES = ['keyword', 'app', 'agent', 'default'] as const;
export const ConsentSourceSchema = z.enum(CONSENT_SOURCES);
export type ConsentSource = z.infer<typeof ConsentSourceSchema>;

/** A stored decision for one customer, channel and purpose. */
export interface ConsentDecision {
  channel: Channel;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  updatedAt: Date | null;
}

/**
 * Defaults when the customer never decided: service messages (answers to what the customer asked)
 * and fraud alerts are allowed; marketing needs an explicit opt-in (GDPR art. 6/7, ePrivacy art. 13).
 */
export const DEFAULT_CONSENT: Readonly<Record<ConsentPurpose, boolean>> = {
  service: true,
  fraud_alert: true,
  marketing: false,
};

/** May a message of `purpose` go to the customer on a channel, given the stored decision (if any)? */
export function isSendAllowed(
  purpose: ConsentPurpose,
  stored: { granted: boolean } | null | undefined,
): boolean {
  return stored ? stored.granted : DEFAULT_CONSENT[purpose];
}

/**
 * What a keyword changes on the channel it was sent on.
 * STOP (any opt-out word) revokes every purpose there, fraud alerts included: a STOP is honoured
 * literally (carriers and Twilio block everything after it anyway); fraud alerts still reach the
 * customer on every other channel, where they stay allowed by default.
 * START restores service and fraud alerts but not marketing: marketing consent must be specific,
 * so it comes back only through an explicit opt-in in the app or by an agent.
 */
export function consentChangesForKeyword(
  kind: 'optout' | 'optin',
): Array<{ purpose: ConsentPurpose; granted: boolean }> {
  if (kind === 'optout') return CONSENT_PURPOSES.map((purpose) => ({ purpose, granted: false }));
  return [
    { purpose: 'service', granted: true },
    { purpose: 'fraud_alert', granted: true },
  ];
}

/** The full channel × purpose matrix for a customer: stored decisions, defaults elsewhere. */
export function effectiveConsents(
  stored: ReadonlyArray<Omit<ConsentDecision, 'source'> & { source: ConsentSource }>,
  channels: readonly Channel[] = CHANNELS,
): ConsentDecision[] {
  const byKey = new Map(stored.map((s) => [`${s.channel}:${s.purpose}`, s]));
  return channels.flatMap((channel) =>
    CONSENT_PURPOSES.map((purpose): ConsentDecision => {
      const s = byKey.get(`${channel}:${purpose}`);
      return s
        ? { channel, purpose, granted: s.granted, source: s.source, updatedAt: s.updatedAt }
        : {
            channel,
            purpose,
            granted: DEFAULT_CONSENT[purpose],
            source: 'default',
            updatedAt: null,
          };
    }),
  );
}
