/** Where the IMAP poller is in the mailbox: kept in NATS KV so a restart neither loses nor re-reads. */
export interface ImapCursor {
  /** UIDVALIDITY as a decimal string (IMAP's is a 32-bit unsigned number; imapflow gives a bigint). */
  uidValidity: string;
  /** Highest UID handled (published or quarantined). */
  lastUid: number;
}

/**
 * The UID after which to read. A new UIDVALIDITY means the server renumbered the mailbox: old
 * UIDs mean nothing, so everything is read again and the Message-ID dedupe (our thread table,
 * JetStream's Nats-Msg-Id, the router's dedupe key) drops what was already published. Pure.
 */
export function resumeFrom(
  saved: ImapCursor | undefined,
  uidValidity: string,
): { lastUid: number; resync: boolean } {
  if (!saved) return { lastUid: 0, resync: false };
  if (saved.uidValidity !== uidValidity) return { lastUid: 0, resync: true };
  return { lastUid: saved.lastUid, resync: false };
}
