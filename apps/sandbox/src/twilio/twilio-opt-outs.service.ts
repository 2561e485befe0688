import { Injectable } from '@nestjs/common';
import { twilioKeywordOf } from './twilio-keywords';

export interface OptOutEntry {
  /** Our side: the number (or Messaging Service SID) the customer wrote to. */
  sender: string;
  /** The customer who sent STOP. */
  recipient: string;
  keyword: string;
  at: string;
}

/**
 * Twilio-like opt-out bookkeeping, fed by the inbound messages the sandbox injects: STOP & co
 * block later sends from that sender to that recipient (error 21610); START & co lift the block.
 */
@Injectable()
export class TwilioOptOutsService {
  private readonly entries = new Map<string, OptOutEntry>();

  /** Applies an inbound body's keyword for every sender it concerns (number and service). */
  applyInbound(senders: string[], recipient: string, body: string): void {
    const keyword = twilioKeywordOf(body);
    if (!keyword || keyword.type === 'HELP') return;
    for (const sender of senders) {
      const key = keyOf(sender, recipient);
      if (keyword.type === 'STOP') {
        this.entries.set(key, {
          sender,
          recipient,
          keyword: keyword.word,
          at: new Date().toISOString(),
        });
      } else {
        this.entries.delete(key);
      }
    }
  }

  isOptedOut(sender: string, recipient: string): boolean {
    return this.entries.has(keyOf(sender, recipient));
  }

  list(): OptOutEntry[] {
    return [...this.entries.values()];
  }

  reset(): void {
    this.entries.clear();
  }
}

function keyOf(sender: string, recipient: string): string {
  return `${sender}|${recipient}`;
}
