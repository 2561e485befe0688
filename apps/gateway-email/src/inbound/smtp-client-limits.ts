import { TokenBuckets } from '@omnigate/kit';

export interface SmtpClientLimitOptions {
  /** Connections at once from one client address. */
  maxConnectionsPerAddress: number;
  /** Mail transactions per minute from one client address (also the burst). */
  messagesPerMinute: number;
}

/**
 * The SMTP listener's per-address limits, keyed by the client's address (the PROXY header's
 * when the peer is a configured balancer, the TCP peer's otherwise): connections at once, and
 * mail transactions per minute. In memory, per process, like the HTTP rate limits.
 */
export class SmtpClientLimits {
  private readonly open = new Map<string, number>();
  /** Sessions counted in `open`, by id, so that a close is counted once and only if admitted. */
  private readonly sessions = new Map<string, string>();
  private readonly messages: TokenBuckets;

  constructor(private readonly opts: SmtpClientLimitOptions) {
    this.messages = new TokenBuckets({
      burst: opts.messagesPerMinute,
      perMinute: opts.messagesPerMinute,
    });
  }

  /** A new session from `address`: false when the address already has its maximum open. */
  admit(sessionId: string, address: string): boolean {
    const now = this.open.get(address) ?? 0;
    if (now >= this.opts.maxConnectionsPerAddress) return false;
    this.open.set(address, now + 1);
    this.sessions.set(sessionId, address);
    return true;
  }

  /** The session ended (any way): its slot is free again. */
  release(sessionId: string): void {
    const address = this.sessions.get(sessionId);
    if (address === undefined) return;
    this.sessions.delete(sessionId);
    const left = (this.open.get(address) ?? 1) - 1;
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
  }

  /** One mail transaction from `address`: ms to wait when over the rate, else 0. */
  takeMessage(address: string): number {
    const taken = this.messages.take(address);
    return taken.ok ? 0 : taken.retryAfterMs;
  }

  /** Connections open from `address` (tests, a gauge). */
  openFrom(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
