import type { MessagesRepository } from './messages.repository';

const RECENT_SENDS = 2000;

/**
 * What a gateway instance already handed to its provider, so a redelivered outbound message (after
 * a crash or a failed status publish) is reported, never sent twice: this instance's recent sends
 * first, then the provider id the router stored from an earlier status.
 */
export class SentLedger {
  private readonly recent = new Map<string, string>();

  constructor(private readonly messages: Pick<MessagesRepository, 'get'>) {}

  /** The provider's id of a message sent before, or null when it never was. */
  async providerIdOf(messageId: string): Promise<string | null> {
    const mine = this.recent.get(messageId);
    if (mine) return mine;
    const stored = await this.messages.get(messageId);
    return stored?.providerMessageId ?? null;
  }

  remember(messageId: string, providerMessageId: string): void {
    this.recent.set(messageId, providerMessageId);
    if (this.recent.size > RECENT_SENDS) this.recent.delete(this.recent.keys().next().value!);
  }
}
