/** One message a fault test sent and saw accepted: the n-th of its sender. */
export interface SentMessage {
  /** What the store keeps to recognise it (e.g. the blind index of its dedupe key). */
  key: string;
  sender: number;
  n: number;
}

/** One stored message: its conversation and place in it. */
export interface StoredRow {
  conversationId: string;
  seq: number;
  key: string;
}

export interface DeliveryAudit {
  sent: number;
  stored: number;
  /** Accepted, never stored. */
  lost: number;
  /** Stored more than once. */
  duplicated: number;
  /** Stored rows that match nothing sent (another test's, or a key computed differently). */
  unknown: number;
  /**
   * Adjacent rows of one conversation (by seq) whose order is not the order the sender sent them
   * in, or that come from two senders.
   */
  orderViolations: number;
  /** For the report when something is lost: sender → the n of each message missing. */
  lostBySender: Record<number, number[]>;
}

/**
 * What a fault test asserts: every accepted message stored once, in its sender's order within
 * its conversation. Each sender sends its next message only once the previous one was accepted,
 * so that order is the only right one.
 */
export function auditDelivery(sent: SentMessage[], rows: StoredRow[]): DeliveryAudit {
  const byKey = new Map(sent.map((m) => [m.key, m]));
  const ordered = [...rows].sort((a, b) =>
    a.conversationId === b.conversationId
      ? a.seq - b.seq
      : a.conversationId.localeCompare(b.conversationId),
  );
  const seen = new Set<string>();
  let duplicated = 0;
  let unknown = 0;
  let orderViolations = 0;
  let prev: { row: StoredRow; msg: SentMessage } | null = null;
  for (const row of ordered) {
    const msg = byKey.get(row.key);
    if (!msg) {
      unknown++;
      continue;
    }
    if (seen.has(row.key)) duplicated++;
    seen.add(row.key);
    if (prev && prev.row.conversationId === row.conversationId) {
      if (prev.msg.sender !== msg.sender || prev.msg.n > msg.n) orderViolations++;
    }
    prev = { row, msg };
  }
  const lostBySender: Record<number, number[]> = {};
  for (const m of sent) if (!seen.has(m.key)) (lostBySender[m.sender] ??= []).push(m.n);
  return {
    sent: sent.length,
    stored: rows.length,
    lost: sent.length - seen.size,
    duplicated,
    unknown,
    orderViolations,
    lostBySender,
  };
}
