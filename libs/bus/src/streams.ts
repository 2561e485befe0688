import { Subjects } from '@omnigate/contracts';

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** How long messages stay, ms. Inbound/outbound are processed within minutes; kept a week for replay. */
  maxAgeMs: number;
  /** Dedupe window for Nats-Msg-Id, ms (provider webhook retries fall inside it). */
  duplicateWindowMs: number;
}

const DAY = 86_400_000;

/** Stream names are wire contracts too: consumers are bound to them. */
export const Streams = {
  MSG_IN: {
    name: 'MSG_IN',
    subjects: [Subjects.inboundAll],
    maxAgeMs: 7 * DAY,
    duplicateWindowMs: 120_000,
  },
  MSG_OUT: {
    name: 'MSG_OUT',
    subjects: [Subjects.outboundAll],
    maxAgeMs: 7 * DAY,
    duplicateWindowMs: 120_000,
  },
  MSG_STATUS: {
    name: 'MSG_STATUS',
    subjects: [Subjects.statusAll],
    maxAgeMs: 7 * DAY,
    duplicateWindowMs: 120_000,
  },
  CONV_EVENTS: {
    name: 'CONV_EVENTS',
    subjects: ['conv.v1.>'],
    maxAgeMs: 1 * DAY,
    duplicateWindowMs: 120_000,
  },
  CORE_EVENTS: {
    name: 'CORE_EVENTS',
    subjects: [Subjects.coreEventAll],
    maxAgeMs: 7 * DAY,
    duplicateWindowMs: 120_000,
  },
  /** Sealed card numbers on their way to the vault (only the vault consumes, only it can open). */
  CARDS: {
    name: 'CARDS',
    subjects: [Subjects.sealedCardAll],
    maxAgeMs: 7 * DAY,
    duplicateWindowMs: 120_000,
  },
  /** The router's consent decisions per channel, for the gateways' own opt-out lists (KV). */
  CONSENT_EVENTS: {
    name: 'CONSENT_EVENTS',
    subjects: [Subjects.consentChangedAll],
    maxAgeMs: 30 * DAY,
    duplicateWindowMs: 120_000,
  },
  DLQ: {
    name: 'DLQ',
    subjects: [Subjects.deadLetterAll],
    maxAgeMs: 30 * DAY,
    duplicateWindowMs: 120_000,
  },
} as const satisfies Record<string, StreamSpec>;

export const ALL_STREAMS: StreamSpec[] = Object.values(Streams);

export type StreamName = keyof typeof Streams;

/**
 * The streams with their max_age from configuration (STREAM_MAX_AGE_<NAME>_MS); JetStream itself
 * then drops messages older than that, whether or not a consumer has processed them.
 */
export function streamsWithMaxAge(
  maxAgeMs: Partial<Record<StreamName, number | undefined>> = {},
): StreamSpec[] {
  return (Object.keys(Streams) as StreamName[]).map((name) => ({
    ...Streams[name],
    subjects: [...Streams[name].subjects],
    maxAgeMs: maxAgeMs[name] ?? Streams[name].maxAgeMs,
    // JetStream refuses a dedupe window longer than max_age.
    duplicateWindowMs: Math.min(
      Streams[name].duplicateWindowMs,
      maxAgeMs[name] ?? Streams[name].maxAgeMs,
    ),
  }));
}
