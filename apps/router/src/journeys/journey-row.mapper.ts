import type { JourneyAppend, JourneyColumns } from '@omnigate/store';
import { initialJourney, msBetween } from './journey-state.mapper';
import type { JourneyEffects, JourneyState } from './journey-state.mapper';

const date = (iso: string | null): Date | null => (iso ? new Date(iso) : null);

/** A stored state (JSON) back as a JourneyState; a missing one starts the conversation. Pure. */
export function storedJourney(conversationId: string, stored: unknown): JourneyState {
  if (!stored || typeof stored !== 'object') return initialJourney(conversationId);
  // Written by journeyColumns' caller only; fields added later take their initial values.
  return { ...initialJourney(conversationId), ...(stored as Partial<JourneyState>) };
}

/** The dashboard's columns of a journey state. Pure. */
export function journeyColumns(s: JourneyState): JourneyColumns {
  return {
    customerId: s.customerId,
    startedAt: date(s.startedAt),
    startChannel: s.startChannel,
    endChannel: s.lastChannel,
    switches: s.switches.length,
    botTurns: s.botTurns,
    agentTurns: s.agentTurns,
    handoffs: s.handoffs,
    journey: s.journey,
    firstResponseMs: msBetween(s.startedAt, s.firstResponseAt),
    firstResolvedAt: date(s.firstResolvedAt),
    resolvedAt: date(s.resolvedAt),
    resolutionMs: msBetween(s.startedAt, s.resolvedAt),
    reopenedWithin7d: s.reopenedWithin7d,
    fraudResolutionMs: s.fraudSignalAt ? msBetween(s.fraudSignalAt, s.resolvedAt) : null,
    onboardingStartedAt: date(s.onboardingStartedAt),
    onboardingIdentifiedAt: date(s.onboardingIdentifiedAt),
    onboardingCompletedAt: date(s.onboardingCompletedAt),
  };
}

/** The rows one event appends. Pure. */
export function journeyAppend(s: JourneyState, fx: JourneyEffects): JourneyAppend {
  const customerId = s.customerId;
  return {
    switches: fx.switches.map((w) => ({
      customerId,
      at: new Date(w.at),
      fromChannel: w.from,
      toChannel: w.to,
    })),
    losses: fx.losses.map((l) => ({ ...l, customerId, at: new Date(l.at) })),
    handoffs: fx.handoffs.map((h) => ({
      customerId,
      at: new Date(h.at),
      channel: h.channel,
      received: h.received,
    })),
  };
}
