import { counter } from '@omnigate/kit';

/** Counted when the live consumer applies an event, never during a rebuild's replay. */
export const journeyMetrics = {
  contextLosses: counter(
    'omnigate_journey_context_losses_total',
    'Times a customer was asked for, or repeated, what the conversation already knew; from/to: the channel switch it happened after (none: no switch)',
    ['from', 'to', 'kind'],
  ),
  switches: counter('omnigate_journey_switches_total', 'Channel switches within a conversation', [
    'from',
    'to',
  ]),
  resolutions: counter('omnigate_journey_resolutions_total', 'Conversations resolved', ['journey']),
  firstContactResolved: counter(
    'omnigate_journey_first_contact_resolved_total',
    'First resolutions of a conversation (a reopening within 7 days is counted apart)',
    ['journey'],
  ),
  reopened: counter(
    'omnigate_journey_reopened_total',
    'Conversations reopened within 7 days of a resolution (no longer first-contact resolved)',
    ['journey'],
  ),
};
