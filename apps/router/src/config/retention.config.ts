import { z } from 'zod';

const days = (d: number) => z.coerce.number().int().min(1).max(36_500).default(d);
const int = (min: number, d: number) => z.coerce.number().int().min(min).default(d);

/**
 * Retention per kind of data (README "Consent and retention"); the router's purge applies them.
 * Defaults are a starting point for a bank's DPO to set, not legal advice.
 */
export const RetentionEnv = {
  /** Messages (and status history) of conversations closed longer ago than this. */
  RETENTION_CLOSED_CONVERSATION_DAYS: days(730),
  /** Conversations with a ticket (fraud alert, dispute): AML record keeping (D.Lgs. 231/2007 art. 31: 10 years). */
  RETENTION_TICKETED_CONVERSATION_DAYS: days(3650),
  /** Delivery status history (queued/sent/delivered/read/failed); the message keeps its last state. */
  RETENTION_STATUS_EVENTS_DAYS: days(90),
  /** Unverified contacts (an address nobody proved) that never got a conversation. */
  RETENTION_UNVERIFIED_CONTACT_DAYS: days(30),
  /** How often the purge runs; 0 turns it off. */
  RETENTION_PURGE_INTERVAL_MS: int(0, 6 * 3_600_000),
  /** The first run, after start (lets a fresh deployment settle). */
  RETENTION_PURGE_START_DELAY_MS: int(0, 60_000),
  /** Rows per delete statement, and statements per kind per run (bounds locks and run time). */
  RETENTION_BATCH_SIZE: int(1, 500),
  RETENTION_MAX_BATCHES: int(1, 200),
};

export interface RetentionPolicy {
  closedConversationDays: number;
  ticketedConversationDays: number;
  statusEventsDays: number;
  unverifiedContactDays: number;
  batchSize: number;
  maxBatches: number;
}

type RetentionKeys = { [K in keyof typeof RetentionEnv]: z.infer<(typeof RetentionEnv)[K]> };

export function retentionPolicyOf(c: RetentionKeys): RetentionPolicy {
  return {
    closedConversationDays: c.RETENTION_CLOSED_CONVERSATION_DAYS,
    ticketedConversationDays: c.RETENTION_TICKETED_CONVERSATION_DAYS,
    statusEventsDays: c.RETENTION_STATUS_EVENTS_DAYS,
    unverifiedContactDays: c.RETENTION_UNVERIFIED_CONTACT_DAYS,
    batchSize: c.RETENTION_BATCH_SIZE,
    maxBatches: c.RETENTION_MAX_BATCHES,
  };
}
