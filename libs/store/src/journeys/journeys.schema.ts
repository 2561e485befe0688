import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const ms = (name: string) => bigint(name, { mode: 'number' });

/**
 * The journey projection (issue 15), written by the router from the conversation events
 * (apps/router journeys) and rebuilt from them; the console's dashboard reads it. No foreign keys:
 * a projection is filled in the stream's order and must survive being replayed into an empty
 * database. No message text and no value the customer gave: kinds, channels, times, digests.
 * One row per conversation: the reducer's state and the columns the dashboard counts.
 */
export const journeyConversations = pgTable(
  'journey_conversations',
  {
    conversationId: uuid('conversation_id').primaryKey(),
    customerId: uuid('customer_id'),
    /** The reducer's state (JourneyState): what the next event is applied to. */
    state: jsonb('state').notNull(),
    startedAt: ts('started_at'),
    startChannel: text('start_channel'),
    endChannel: text('end_channel'),
    switches: integer('switches').notNull().default(0),
    botTurns: integer('bot_turns').notNull().default(0),
    agentTurns: integer('agent_turns').notNull().default(0),
    handoffs: integer('handoffs').notNull().default(0),
    journey: text('journey').notNull().default('other'),
    firstResponseMs: ms('first_response_ms'),
    firstResolvedAt: ts('first_resolved_at'),
    resolvedAt: ts('resolved_at'),
    resolutionMs: ms('resolution_ms'),
    reopenedWithin7d: boolean('reopened_within_7d').notNull().default(false),
    fraudResolutionMs: ms('fraud_resolution_ms'),
    onboardingStartedAt: ts('onboarding_started_at'),
    onboardingIdentifiedAt: ts('onboarding_identified_at'),
    onboardingCompletedAt: ts('onboarding_completed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('journey_conversations_started_idx').on(t.startedAt),
    index('journey_conversations_resolved_idx').on(t.resolvedAt),
    index('journey_conversations_first_resolved_idx').on(t.firstResolvedAt),
    index('journey_conversations_customer_idx').on(t.customerId),
  ],
);

/** Conversation events already applied: a redelivered or republished event changes nothing. */
export const journeyEvents = pgTable(
  'journey_events',
  {
    eventId: uuid('event_id').primaryKey(),
    conversationId: uuid('conversation_id').notNull(),
    appliedAt: ts('applied_at').notNull().defaultNow(),
  },
  (t) => [index('journey_events_conversation_idx').on(t.conversationId)],
);

/** Each channel switch of a customer within a conversation. */
export const journeySwitches = pgTable(
  'journey_switches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    customerId: uuid('customer_id'),
    at: ts('at').notNull(),
    fromChannel: text('from_channel').notNull(),
    toChannel: text('to_channel').notNull(),
  },
  (t) => [
    index('journey_switches_at_idx').on(t.at),
    index('journey_switches_conversation_idx').on(t.conversationId),
  ],
);

/** Each time the customer was asked for, or repeated, what the conversation already knew. */
export const journeyContextLosses = pgTable(
  'journey_context_losses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    customerId: uuid('customer_id'),
    at: ts('at').notNull(),
    /** card | transaction | fact */
    kind: text('kind').notNull(),
    /** customer (said again) | bot | agent (asked again) */
    by: text('by').notNull(),
    channel: text('channel'),
    switchFrom: text('switch_from'),
    switchTo: text('switch_to'),
    afterHandoff: boolean('after_handoff').notNull(),
    journey: text('journey').notNull(),
  },
  (t) => [
    index('journey_context_losses_at_idx').on(t.at),
    index('journey_context_losses_conversation_idx').on(t.conversationId),
  ],
);

/** Each bot → agent hand-off, with what the agent received (keys and flags, never values). */
export const journeyHandoffs = pgTable(
  'journey_handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    customerId: uuid('customer_id'),
    at: ts('at').notNull(),
    channel: text('channel'),
    received: jsonb('received'),
  },
  (t) => [
    index('journey_handoffs_at_idx').on(t.at),
    index('journey_handoffs_conversation_idx').on(t.conversationId),
  ],
);

/**
 * One row (id 1): a rebuild in progress holds the live consumer back, and the regulatory clocks
 * as the router last counted them (the console has no grant on tickets).
 */
export const journeyMeta = pgTable('journey_meta', {
  id: integer('id').primaryKey(),
  rebuilding: boolean('rebuilding').notNull().default(false),
  rebuiltAt: ts('rebuilt_at'),
  clocksOnTrack: integer('clocks_on_track').notNull().default(0),
  clocksAtRisk: integer('clocks_at_risk').notNull().default(0),
  clocksBreached: integer('clocks_breached').notNull().default(0),
  clocksAt: ts('clocks_at'),
});
