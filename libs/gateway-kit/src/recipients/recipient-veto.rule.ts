import { CONSENT_PURPOSES, isConsentConfirmation } from '@omnigate/contracts';
import type { Channel, ConsentPurpose, OutboundMessageV1 } from '@omnigate/contracts';

/** One decision about one purpose, with when it was made and by what (newest wins). */
export interface ConsentMark {
  granted: boolean;
  /** ISO time of the decision (the customer's message, the app, the agent, the provider). */
  at: string;
  /** `keyword:STOP`, `provider:TWILIO.21610`, `app`, `agent`... (never personal data). */
  source: string;
}

/** What a gateway knows about one address on its channel (KV `<channel>_vetoes`). */
export interface RecipientEntry {
  consent: Partial<Record<ConsentPurpose, ConsentMark>>;
  /** The provider says we may not write (Telegram: the customer blocked the bot), since `at`. */
  blocked: { at: string; source: string } | null;
}

export type Veto =
  | { kind: 'opted_out'; purpose: ConsentPurpose; source: string }
  | { kind: 'blocked'; source: string };

const EMPTY: RecipientEntry = { consent: {}, blocked: null };

/**
 * The entry after decisions made at `at`: a purpose changes only when this decision is at least
 * as new as the one stored (a late or redelivered event changes nothing). Null: nothing changed.
 */
export function withConsent(
  entry: RecipientEntry | undefined,
  changes: ReadonlyArray<{ purpose: ConsentPurpose; granted: boolean }>,
  at: Date,
  source: string,
): RecipientEntry | null {
  const current = entry ?? EMPTY;
  const consent = { ...current.consent };
  let changed = false;
  for (const c of changes) {
    const stored = consent[c.purpose];
    if (stored && Date.parse(stored.at) > at.getTime()) continue;
    if (stored?.granted === c.granted && stored.source === source) continue;
    consent[c.purpose] = { granted: c.granted, at: at.toISOString(), source };
    changed = true;
  }
  return changed ? { ...current, consent } : null;
}

/** The entry with the provider's block set or lifted at `at` (newest wins); null: no change. */
export function withBlock(
  entry: RecipientEntry | undefined,
  blocked: boolean,
  at: Date,
  source: string,
): RecipientEntry | null {
  const current = entry ?? EMPTY;
  if (!blocked) {
    if (!current.blocked || Date.parse(current.blocked.at) > at.getTime()) return null;
    return { ...current, blocked: null };
  }
  if (current.blocked && Date.parse(current.blocked.at) >= at.getTime()) return null;
  return { ...current, blocked: { at: at.toISOString(), source } };
}

/**
 * May a message of `purpose` go to this address? Only an explicit "no" vetoes: without a decision
 * the router's own consent rules (defaults per purpose) have already decided. Pure.
 */
export function vetoOf(entry: RecipientEntry | undefined, purpose: ConsentPurpose): Veto | null {
  if (entry?.blocked) return { kind: 'blocked', source: entry.blocked.source };
  const mark = entry?.consent[purpose];
  return mark && !mark.granted ? { kind: 'opted_out', purpose, source: mark.source } : null;
}

/**
 * The veto that stops this message, if any: an opt-out lets the router's confirmation of it
 * through (the customer is told what STOP did, once); a block stops everything. Pure.
 */
export function vetoOfMessage(
  entry: RecipientEntry | undefined,
  msg: Pick<OutboundMessageV1, 'purpose' | 'author'>,
): Veto | null {
  const veto = vetoOf(entry, msg.purpose);
  return veto?.kind === 'opted_out' && isConsentConfirmation(msg) ? null : veto;
}

/** Every purpose revoked: what a provider's "unsubscribed recipient" error means. */
export const ALL_REVOKED = CONSENT_PURPOSES.map((purpose) => ({ purpose, granted: false }));

/** The failed status of a vetoed message: a stable code and a reason an agent can act on. */
export function vetoFailure(
  channel: Channel,
  veto: Veto,
  blockedReason?: string,
): { code: string; reason: string } {
  const prefix = channel.toUpperCase();
  if (veto.kind === 'blocked') {
    return {
      code: `${prefix}.BLOCKED`,
      reason: blockedReason ?? 'Not sent: the customer blocked us on this channel',
    };
  }
  return { code: `${prefix}.OPTED_OUT`, reason: optOutReason(veto) };
}

function optOutReason(veto: Extract<Veto, { kind: 'opted_out' }>): string {
  const [kind = '', detail] = veto.source.split(':', 2);
  switch (kind) {
    case 'keyword':
      return `Not sent: the customer replied ${detail ?? 'STOP'} on this channel and has not opted back in since`;
    case 'provider':
      return `Not sent: the provider reports that the customer unsubscribed (${detail ?? 'opt-out'})`;
    case 'app':
      return `Not sent: the customer turned off ${veto.purpose} messages on this channel in the app`;
    case 'agent':
      return `Not sent: an agent recorded that the customer does not want ${veto.purpose} messages on this channel`;
    default:
      return `Not sent: the customer does not want ${veto.purpose} messages on this channel`;
  }
}
