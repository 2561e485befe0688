import { sql } from 'drizzle-orm';
import { inboundMsgId } from '@omnigate/contracts';
import { blindIndex } from '@omnigate/crypto';
import { openDatabase } from '@omnigate/store';
import type { DatabaseConfig } from '@omnigate/store';
import type { SentMessage, StoredRow } from './delivery-audit';

export interface SmsTrafficOptions {
  /** The sandbox's base URL: it signs Twilio's webhook and posts it to the SMS gateway. */
  sandboxUrl: string;
  /** The number the customers write to (the gateway's own). */
  ourNumber: string;
  /** Told apart from other tests' messages by their sids: a number below 0x10000. */
  tag: number;
  /** A refused webhook is sent again after this, with the same MessageSid (as Twilio does). */
  retryMs?: number;
  /** A message refused for this long fails the test. */
  giveUpMs?: number;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Numbered SMS of numbered senders through the real inbound path (the sandbox's signed Twilio
 * webhook, the SMS gateway, NATS), for fault tests: each sender sends its next message only once
 * the previous one was accepted, so the order it sent them in is the only right order to store.
 */
export class SmsTraffic {
  /** Webhooks posted, and how many of them the gateway refused (each sent again). */
  attempts = 0;
  refused = 0;
  private readonly retryMs: number;
  private readonly giveUpMs: number;

  constructor(private readonly opts: SmsTrafficOptions) {
    this.retryMs = opts.retryMs ?? 200;
    this.giveUpMs = opts.giveUpMs ?? 30_000;
  }

  /** The k-th SMS of sender c: its Twilio sid says which test, who and which, for the audit. */
  sid(c: number, k: number): string {
    const who = (this.opts.tag * 0x10000 + c).toString(16).padStart(12, '0');
    return `SM${who}${k.toString(16).padStart(20, '0')}`;
  }

  /** Sender c's phone number (one conversation each). */
  phone(c: number): string {
    return `+39348${String(1_000_000 + c).slice(-7)}`;
  }

  /** Posts sender c's k-th SMS once: the gateway's answer (0: none, e.g. a refused connection). */
  async inject(c: number, k: number): Promise<number> {
    this.attempts++;
    const res = await fetch(`${this.opts.sandboxUrl}/sandbox/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: this.phone(c),
        to: this.opts.ourNumber,
        body: `messaggio ${k}`,
        messageSid: this.sid(c, k),
      }),
    }).catch(() => null);
    if (!res?.ok) return 0;
    return ((await res.json()) as { status: number }).status;
  }

  /** Sender c's k-th SMS until the gateway accepts it (200); a refusal is sent again. */
  async send(c: number, k: number): Promise<void> {
    const giveUp = Date.now() + this.giveUpMs;
    while ((await this.inject(c, k)) !== 200) {
      this.refused++;
      if (Date.now() > giveUp) {
        throw new Error(`SMS ${k} of sender ${c} refused for ${this.giveUpMs} ms`);
      }
      await delay(this.retryMs);
    }
  }

  /** Every sender sends its messages from..to-1 in order, pausing paceMs after each. */
  async sendEach(senders: number[], from: number, to: number, paceMs = 0): Promise<void> {
    await Promise.all(
      senders.map(async (c) => {
        for (let k = from; k < to; k++) {
          await this.send(c, k);
          if (paceMs) await delay(paceMs);
        }
      }),
    );
  }

  /**
   * What the store keeps to recognise each message sent (messages 0..perSender-1 of each
   * sender): the blind index of its dedupe key `sms:<sid>` under the router's index key.
   */
  sentMessages(indexKey: Buffer, senders: number[], perSender: number): SentMessage[] {
    return senders.flatMap((c) =>
      Array.from({ length: perSender }, (_, n) => ({
        key: blindIndex(indexKey, 'dedupe', inboundMsgId('sms', this.sid(c, n))),
        sender: c,
        n,
      })),
    );
  }
}

/** Every inbound SMS stored, read straight from the database (past any fault in front of it). */
export async function storedInboundSms(config: DatabaseConfig): Promise<StoredRow[]> {
  const database = await openDatabase(config);
  try {
    const result = (await database.db.execute(
      sql`SELECT conversation_id AS "conversationId", seq, dedupe_key AS key FROM messages WHERE channel = 'sms' AND direction = 'inbound'`,
    )) as { rows: StoredRow[] };
    return result.rows;
  } finally {
    await database.close();
  }
}
