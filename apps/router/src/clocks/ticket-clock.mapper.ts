import type { TicketClockView } from '@omnigate/contracts';
import type { TicketClockRow } from '@omnigate/store';
import { clockRuleFor, clockView } from './regulatory-clock.rule';
import type { ClockInput } from './regulatory-clock.rule';
import { schemeClockView, schemeLimitFor } from './scheme-dispute.rule';
import type { SchemeClockInput } from './scheme-dispute.rule';

/** The clock inputs of a stored ticket; null for a ticket that runs none (kind other). */
export function clockInputOf(t: TicketClockRow): ClockInput | null {
  const rule = clockRuleFor(t.kind, t.jurisdiction, t.disputeType);
  if (!rule) return null;
  return {
    rule,
    jurisdiction: t.jurisdiction,
    openedAt: t.createdAt,
    holdingReplyAt: t.holdingReplyAt,
    resolvedAt: t.resolvedAt,
  };
}

/**
 * A stored ticket's clock at `now`, computed from the rules (the stored `due_at` serves queries).
 * A breach already recorded stays a breach.
 */
export function ticketClockView(
  t: TicketClockRow,
  now: Date,
  warnBusinessDays: number,
): TicketClockView | null {
  const input = clockInputOf(t);
  if (!input) return null;
  const view = clockView(input, now, warnBusinessDays);
  return t.breachedAt && view.state !== 'breached' ? { ...view, state: 'breached' } : view;
}

/** The scheme clock inputs of a stored card dispute; null when it names no scheme. */
export function schemeClockInputOf(t: TicketClockRow): SchemeClockInput | null {
  if (!t.cardScheme || !t.schemeReason || !t.transactionProcessedOn) return null;
  const limit = schemeLimitFor(t.cardScheme, t.schemeReason);
  if (!limit) return null;
  return {
    limit,
    jurisdiction: t.jurisdiction,
    processedOn: t.transactionProcessedOn,
    deliveryOn: t.deliveryOn,
    raisedAt: t.schemeRaisedAt,
    resolvedAt: t.resolvedAt,
  };
}

/** A stored card dispute's scheme clock at `now`; a recorded scheme breach stays a breach. */
export function ticketSchemeClockView(
  t: TicketClockRow,
  now: Date,
  warnDays: number,
): TicketClockView | null {
  const input = schemeClockInputOf(t);
  if (!input) return null;
  const view = schemeClockView(input, now, warnDays);
  return t.schemeBreachedAt && view.state !== 'breached' ? { ...view, state: 'breached' } : view;
}
