import { Injectable } from '@nestjs/common';
import type { ConversationEventV1 } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { JourneysRepository } from '@omnigate/store';
import type { ApplyOutcome } from '@omnigate/store';
import { reduceJourney } from './journey.mapper';
import { journeyAppend, journeyColumns, storedJourney } from './journey-row.mapper';
import type { JourneyEffects, JourneyState } from './journey-state.mapper';
import { journeyMetrics } from './journey.metrics';

/** A rebuild holds the live consumer back; it waits (transient) and never dead-letters. */
export class JourneyRebuildingError extends AppError {
  constructor() {
    super('JOURNEY.REBUILDING', 'the journey projection is being rebuilt', { transient: true });
  }
}

/**
 * Applies conversation events to the journey projection: the stored state, the pure reducer,
 * the new state with its rows, in one transaction, once per event id.
 */
@Injectable()
export class JourneyProjectionService {
  constructor(private readonly journeys: JourneysRepository) {}

  /** The live path: counted in the metrics; held back while a rebuild runs. */
  async apply(event: ConversationEventV1): Promise<ApplyOutcome<JourneyEffects>> {
    const out = await this.applyOnce(event, false);
    if (out.outcome === 'rebuilding') throw new JourneyRebuildingError();
    if (out.outcome === 'applied') count(out.result.state, out.result.effects);
    return out.outcome === 'applied'
      ? { outcome: 'applied', result: out.result.effects }
      : { outcome: out.outcome };
  }

  /** A rebuild's replay: the same reducer, no metrics (they counted the first time). */
  async replay(event: ConversationEventV1): Promise<void> {
    await this.applyOnce(event, true);
  }

  private applyOnce(
    event: ConversationEventV1,
    rebuild: boolean,
  ): Promise<ApplyOutcome<{ state: JourneyState; effects: JourneyEffects }>> {
    return this.journeys.apply(
      event.id,
      event.conversationId,
      (stored) => {
        const { state, effects } = reduceJourney(
          storedJourney(event.conversationId, stored),
          event,
        );
        return {
          state,
          columns: journeyColumns(state),
          append: journeyAppend(state, effects),
          result: { state, effects },
        };
      },
      { rebuild },
    );
  }
}

function count(state: JourneyState, fx: JourneyEffects): void {
  for (const s of fx.switches) journeyMetrics.switches.inc({ from: s.from, to: s.to });
  for (const l of fx.losses) {
    journeyMetrics.contextLosses.inc({
      from: l.switchFrom ?? 'none',
      to: l.switchTo ?? 'none',
      kind: l.kind,
    });
  }
  const journey = state.journey;
  if (fx.resolved) {
    journeyMetrics.resolutions.inc({ journey });
    if (fx.resolved.firstContact) journeyMetrics.firstContactResolved.inc({ journey });
  }
  if (fx.reopened) journeyMetrics.reopened.inc({ journey });
}
