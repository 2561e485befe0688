import type { Channel, ControlState, Skill } from '@omnigate/contracts';
import type { ContextKind } from './journey-mentions.mapper';

/** The journeys the dashboard tells apart (from the conversation's queue). */
export const JOURNEYS = ['fraud', 'onboarding', 'dispute', 'other'] as const;
export type Journey = (typeof JOURNEYS)[number];

/** A resolution followed by the customer coming back within this is not a first-contact one. */
export const REOPEN_WINDOW_MS = 7 * 86_400_000;

/** Something the conversation knows, by digest (journey-mentions.mapper.ts), never by value. */
export interface KnownItem {
  digest: string;
  kind: ContextKind;
  /** Switches and hand-offs the conversation had when it became known. */
  switches: number;
  handoffs: number;
}

/** Per conversation, what the projection keeps between events (JSON in journey_conversations). */
export interface JourneyState {
  conversationId: string;
  customerId: string | null;
  startedAt: string | null;
  startChannel: Channel | null;
  /** The channel the customer last wrote on. */
  lastChannel: Channel | null;
  /** The customer's channels in order, a new entry at each switch. */
  channels: Channel[];
  switches: Array<{ at: string; from: Channel; to: Channel }>;
  customerTurns: number;
  botTurns: number;
  agentTurns: number;
  handoffs: number;
  control: ControlState;
  journey: Journey;
  firstResponseAt: string | null;
  /** The latest resolution (null while open, and again once reopened). */
  resolvedAt: string | null;
  /** The first resolution: what first-contact resolution is counted by. */
  firstResolvedAt: string | null;
  resolutions: number;
  reopenedWithin7d: boolean;
  fraudSignalAt: string | null;
  onboardingStartedAt: string | null;
  onboardingIdentifiedAt: string | null;
  onboardingCompletedAt: string | null;
  verified: boolean;
  known: KnownItem[];
  /** Kinds a bot or agent asked for (a loss counted then); the answer is not counted again. */
  askedOpen: ContextKind[];
  /** What the last hand-off summary gave the agent, until the hand-off itself is announced. */
  pendingReceived: HandoffReceived | null;
}

/** What an agent received with a hand-off: vocabulary and flags only, never values. */
export interface HandoffReceived {
  intent: string;
  knownKeys: string[];
  asked: string | null;
  fraudAlert: boolean;
  contextUnavailable: boolean;
}

export interface ContextLoss {
  at: string;
  kind: ContextKind;
  /** customer: said again; bot or agent: asked for it again. */
  by: 'customer' | 'bot' | 'agent';
  channel: Channel | null;
  /** The latest channel switch since the item became known; null when none happened. */
  switchFrom: Channel | null;
  switchTo: Channel | null;
  afterHandoff: boolean;
  journey: Journey;
}

export interface HandoffRecord {
  at: string;
  channel: Channel | null;
  received: HandoffReceived | null;
}

/** What one event adds besides the new state: rows to append and counters to move. */
export interface JourneyEffects {
  switches: Array<{ at: string; from: Channel; to: Channel }>;
  losses: ContextLoss[];
  handoffs: HandoffRecord[];
  resolved: { firstContact: boolean } | null;
  reopened: boolean;
}

export function initialJourney(conversationId: string): JourneyState {
  return {
    conversationId,
    customerId: null,
    startedAt: null,
    startChannel: null,
    lastChannel: null,
    channels: [],
    switches: [],
    customerTurns: 0,
    botTurns: 0,
    agentTurns: 0,
    handoffs: 0,
    control: 'bot_active',
    journey: 'other',
    firstResponseAt: null,
    resolvedAt: null,
    firstResolvedAt: null,
    resolutions: 0,
    reopenedWithin7d: false,
    fraudSignalAt: null,
    onboardingStartedAt: null,
    onboardingIdentifiedAt: null,
    onboardingCompletedAt: null,
    verified: false,
    known: [],
    askedOpen: [],
    pendingReceived: null,
  };
}

export function noEffects(): JourneyEffects {
  return { switches: [], losses: [], handoffs: [], resolved: null, reopened: false };
}

export function journeyOfQueue(queue: Skill): Journey {
  switch (queue) {
    case 'fraud':
      return 'fraud';
    case 'onboarding':
      return 'onboarding';
    case 'disputes':
      return 'dispute';
    case 'general':
      return 'other';
  }
}

/** Milliseconds between two ISO times, or null when either is missing or it runs backwards. */
export function msBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
