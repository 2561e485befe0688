import type { TypingState } from '@omnigate/contracts';

interface Entry {
  lastStartAt: number;
  typing: boolean;
}

/**
 * Decides which typing signals of one sender go on the bus: a `start` at most once per interval
 * (the app may send one per keystroke), a `stop` only after a forwarded `start`. So a sender costs
 * at most two signals per interval, however fast it toggles. Pure (time is passed in).
 */
export class TypingThrottle {
  private readonly senders = new Map<string, Entry>();

  constructor(private readonly intervalMs: number) {}

  admit(key: string, state: TypingState, now: number): boolean {
    const e = this.senders.get(key);
    if (state === 'start') {
      if (e && now - e.lastStartAt < this.intervalMs) return false;
      this.senders.set(key, { lastStartAt: now, typing: true });
      return true;
    }
    if (!e?.typing) return false;
    e.typing = false;
    return true;
  }

  /** Forgets a sender (socket gone); true when it was typing, so a `stop` is owed. */
  forget(key: string): boolean {
    const e = this.senders.get(key);
    this.senders.delete(key);
    return e?.typing ?? false;
  }
}
